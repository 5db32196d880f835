package io.vipwatch.store.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row, rows, columns padded to their widest cell. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(final String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    TextTable row(final Object... cells) {
        final String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            final Object cell = i < cells.length ? cells[i] : null;
            text[i] = cell == null ? "-" : cell.toString().replace('\n', ' ');
        }
        rows.add(text);
        return this;
    }

    void print(final PrintWriter out) {
        final int[] widths = new int[columns];
        for (final String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows) {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        if (rows.size() == 1) {
            out.println("(none)");
        }
        out.flush();
    }
}
