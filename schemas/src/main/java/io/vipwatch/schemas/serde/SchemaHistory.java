package io.vipwatch.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/** The writer schemas earlier versions published, from {@code io/vipwatch/schemas/history/index.txt}. */
public final class SchemaHistory {

    private static final String DIR = "/io/vipwatch/schemas/history/";
    private static final List<Schema> SCHEMAS = load();

    private SchemaHistory() {
    }

    /** Old writer schemas of the record with this full name. */
    public static List<Schema> of(final String fullName) {
        final List<Schema> out = new ArrayList<>();
        for (final Schema schema : SCHEMAS) {
            if (schema.getFullName().equals(fullName)) {
                out.add(schema);
            }
        }
        return out;
    }

    private static List<Schema> load() {
        final List<Schema> schemas = new ArrayList<>();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(DIR + "index.txt")) {
            if (index == null) {
                return schemas;
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try (InputStream avsc = SchemaHistory.class.getResourceAsStream(DIR + line)) {
                    if (avsc == null) {
                        throw new IllegalStateException("schema history lists " + line + " but it is missing");
                    }
                    schemas.add(new Schema.Parser().parse(avsc));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the schema history", e);
        }
        return schemas;
    }
}
