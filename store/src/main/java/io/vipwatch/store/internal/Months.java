package io.vipwatch.store.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Calendar months in UTC: the partitions of the time-series tables. */
final class Months {

    private Months() {
    }

    static Instant start(final Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant next(final Instant monthStart) {
        return YearMonth.from(monthStart.atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }
}
