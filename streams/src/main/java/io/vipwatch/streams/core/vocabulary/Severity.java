package io.vipwatch.streams.core.vocabulary;

/** Critical for what breaks traffic now, warning for what will or may. */
public enum Severity {
    CRITICAL,
    WARNING
}
