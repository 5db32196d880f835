package io.vipwatch.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one sub-benchmark found: its one-line summary and the figures written to {@code NAME.json}.
 *
 * @param name    the sub-benchmark (topology, latency, ...)
 * @param summary the line printed for it
 * @param figures the JSON document (figures, sizes, rounds)
 */
public record Result(String name, String summary, Map<String, Object> figures) {

    public static Builder of(final String name) {
        return new Builder(name);
    }

    /** A number from the figures, NaN if absent. */
    public double number(final String key) {
        final Object value = figures.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Collects figures in insertion order. */
    public static final class Builder {
        private final String name;
        private final Map<String, Object> figures = new LinkedHashMap<>();

        private Builder(final String name) {
            this.name = name;
            figures.put("benchmark", name);
        }

        public Builder put(final String key, final Object value) {
            figures.put(key, value);
            return this;
        }

        public Builder putAll(final Map<String, Object> values) {
            figures.putAll(values);
            return this;
        }

        public Result summary(final String line) {
            figures.put("summary", line);
            return new Result(name, line, figures);
        }
    }
}
