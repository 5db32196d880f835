package io.vipwatch.streams.core.vocabulary;

/** Where an alert transition leaves its episode: opened once, updated when what it says changes, resolved once. */
public enum AlertState {
    OPENED,
    UPDATED,
    RESOLVED
}
