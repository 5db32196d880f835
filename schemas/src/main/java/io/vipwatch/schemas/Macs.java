package io.vipwatch.schemas;

import java.util.List;
import java.util.TreeSet;

/**
 * Link-layer (EUI-48) addresses in vipwatch's one text form: six two-digit lowercase hex groups separated by
 * {@code :} ({@code 02:00:00:00:00:01}), the form {@code ip link} prints.
 */
public final class Macs {

    /** The length of a MAC in canonical text. */
    public static final int LENGTH = 17;

    private Macs() {
    }

    /**
     * The canonical text of a MAC written with {@code :} or {@code -} between six two-digit hex groups, in either
     * case.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static String canonical(final String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty MAC address");
        }
        if (isCanonical(text)) {
            return text;
        }
        if (text.length() != LENGTH) {
            throw invalid(text, "expected six two-digit hex groups separated by ':' (aa:bb:cc:dd:ee:ff)");
        }
        final char separator = text.charAt(2);
        final StringBuilder out = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            final char c = text.charAt(i);
            if (i % 3 == 2) {
                if (c != separator || (c != ':' && c != '-')) {
                    throw invalid(text, "expected ':' between the hex groups at character " + (i + 1));
                }
                out.append(':');
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw invalid(text, "'" + c + "' at character " + (i + 1) + " is not a hex digit");
            } else {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** True when {@code text} is a MAC in canonical text. */
    public static boolean isCanonical(final String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            final char c = text.charAt(i);
            if (i % 3 == 2 ? c != ':' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The MACs distinct and sorted (canonical texts sort as the addresses do). */
    public static List<String> sortedDistinct(final List<String> macs) {
        if (macs == null || macs.isEmpty()) {
            return List.of();
        }
        if (macs.size() == 1) {
            return List.of(macs.get(0));
        }
        return List.copyOf(new TreeSet<>(macs));
    }

    private static IllegalArgumentException invalid(final String text, final String reason) {
        final String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return new IllegalArgumentException("invalid MAC address '" + shown + "': " + reason);
    }
}
