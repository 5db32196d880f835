package io.vipwatch.streams.core;

import java.util.List;

import io.vipwatch.schemas.event.InputEvent;

/** {@link RandomEvents} for tests outside this package. */
public final class RandomEventsAccess {

    private RandomEventsAccess() {
    }

    public static List<InputEvent> generate(final long seed, final int count) {
        return RandomEvents.generate(seed, count);
    }
}
