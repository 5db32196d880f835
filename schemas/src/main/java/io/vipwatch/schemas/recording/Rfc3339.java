package io.vipwatch.schemas.recording;

/**
 * A fast path for the times the recording writer produces: {@code yyyy-MM-ddTHH:mm:ssZ} and
 * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC, millisecond precision at most). Anything else — offsets, other
 * fractions, lower-case letters — goes to {@link java.time.OffsetDateTime#parse}, which also reports errors.
 */
final class Rfc3339 {

    static final long NOT_FAST = Long.MIN_VALUE;

    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private Rfc3339() {
    }

    /** Epoch millis, or {@link #NOT_FAST} when the text is not of the fast form (or not a valid time). */
    static long parseUtc(final String s) {
        final int length = s.length();
        if ((length != 20 && length != 24) || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return NOT_FAST;
        }
        final int year = digits(s, 0, 4);
        final int month = digits(s, 5, 2);
        final int day = digits(s, 8, 2);
        final int hour = digits(s, 11, 2);
        final int minute = digits(s, 14, 2);
        final int second = digits(s, 17, 2);
        int millis = 0;
        if (length == 24) {
            if (s.charAt(19) != '.') {
                return NOT_FAST;
            }
            millis = digits(s, 20, 3);
        }
        return utc(year, month, day, hour, minute, second, millis);
    }

    private static long utc(final int year, final int month, final int day, final int hour, final int minute,
            final int second, final int millis) {
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
            return NOT_FAST;
        }
        final long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** {@link #parseUtc(String)} of the ASCII bytes {@code b[offset, offset + length)}, without a String. */
    static long parseUtc(final byte[] b, final int offset, final int length) {
        if ((length != 20 && length != 24) || b[offset + length - 1] != 'Z' || b[offset + 4] != '-'
                || b[offset + 7] != '-' || b[offset + 10] != 'T' || b[offset + 13] != ':' || b[offset + 16] != ':') {
            return NOT_FAST;
        }
        int millis = 0;
        if (length == 24) {
            if (b[offset + 19] != '.') {
                return NOT_FAST;
            }
            millis = digits(b, offset + 20, 3);
        }
        return utc(digits(b, offset, 4), digits(b, offset + 5, 2), digits(b, offset + 8, 2), digits(b, offset + 11, 2),
                digits(b, offset + 14, 2), digits(b, offset + 17, 2), millis);
    }

    private static int digits(final byte[] b, final int from, final int count) {
        int value = 0;
        for (int k = from; k < from + count; k++) {
            final int c = b[k];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int digits(final String s, final int from, final int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean leap(final int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    private static int daysIn(final int year, final int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static long epochDay(final int year, final int month, final int day) {
        final long y = year - 1;
        long days = 365L * y + y / 4 - y / 100 + y / 400;
        days += DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
        return days - 719_162; // days from 0001-01-01 to 1970-01-01
    }
}
