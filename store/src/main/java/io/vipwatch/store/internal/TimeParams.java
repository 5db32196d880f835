package io.vipwatch.store.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vipwatch.schemas.policy.InputPolicy;
import io.vipwatch.store.InvalidQueryException;

/**
 * Times as the API and the CLI accept them: RFC 3339 ({@code 2026-11-01T03:12:00Z}, any offset), epoch
 * milliseconds, {@code now}, or {@code now-2h} / {@code -2h} (units s, m, h, d).
 */
public final class TimeParams {

    private static final Pattern RELATIVE = Pattern.compile("(?:now)?-(\\d{1,9})([smhd])");

    private TimeParams() {
    }

    /**
     * The time in {@code text}, or {@code fallback} when it is null or blank.
     *
     * @throws InvalidQueryException naming the parameter for a malformed time or one outside 1970 .. 9999 (what
     *                               PostgreSQL and the history hold), never an exception that answers 500
     */
    public static Instant parse(final String name, final String text, final Instant now, final Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        final Instant parsed;
        try {
            parsed = parseText(name, text, now);
        } catch (final DateTimeException | ArithmeticException e) {
            throw new InvalidQueryException(name, outOfRange(text));
        }
        if (parsed.isBefore(Instant.EPOCH) || parsed.isAfter(Instant.ofEpochMilli(InputPolicy.MAX_TIME))) {
            throw new InvalidQueryException(name, outOfRange(text));
        }
        return parsed;
    }

    private static String outOfRange(final String text) {
        return InputPolicy.excerpt(text.trim()) + " is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z";
    }

    private static Instant parseText(final String name, final String text, final Instant now) {
        final String value = text.trim();
        if ("now".equals(value)) {
            return now;
        }
        final Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            final long amount = Long.parseLong(relative.group(1));
            final Duration ago = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(ago);
        }
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (final DateTimeParseException e) {
            throw new InvalidQueryException(name, InputPolicy.excerpt(value) + " is not a time: use RFC 3339 (2026-11-01T03:12:00Z),"
                    + " epoch milliseconds, now or now-2h");
        }
    }
}
