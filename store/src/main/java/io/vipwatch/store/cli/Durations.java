package io.vipwatch.store.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;

/** Reads {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 500ms}, {@code 0} or an ISO-8601 duration. */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    @Override
    public Duration convert(final String text) {
        return parse(text);
    }

    public static Duration parse(final String text) {
        final String value = text.trim();
        if ("0".equals(value)) {
            return Duration.ZERO;
        }
        final Matcher matcher = SHORT.matcher(value);
        if (matcher.matches()) {
            final long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 90d, 12h, 30m, 45s, 500ms)");
        }
    }
}
