package io.vipwatch.schemas.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on every command line: {@code 250ms}, {@code 15s}, {@code 1.5s}, {@code 5m}, {@code 1h}, {@code 2d},
 * {@code 0}, or ISO-8601 ({@code PT15S}). One converter for every role, so the flags read the same everywhere.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(final String value) {
        return parse(value);
    }

    /** @throws TypeConversionException saying which forms are accepted */
    public static Duration parse(final String value) {
        final String text = value == null ? "" : value.strip();
        if ("0".equals(text)) {
            return Duration.ZERO;
        }
        try {
            if (text.regionMatches(true, 0, "P", 0, 1)) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            int split = 0;
            while (split < text.length() && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '.')) {
                split++;
            }
            if (split == 0 || split == text.length()) {
                throw new TypeConversionException(invalid(value));
            }
            final double amount = Double.parseDouble(text.substring(0, split));
            final long millis = switch (text.substring(split).toLowerCase(Locale.ROOT)) {
                case "ms" -> Math.round(amount);
                case "s" -> Math.round(amount * 1_000);
                case "m" -> Math.round(amount * 60_000);
                case "h" -> Math.round(amount * 3_600_000);
                case "d" -> Math.round(amount * 86_400_000);
                default -> throw new TypeConversionException(invalid(value));
            };
            return Duration.ofMillis(millis);
        } catch (final DateTimeParseException | NumberFormatException e) {
            throw new TypeConversionException(invalid(value));
        }
    }

    private static String invalid(final String value) {
        return "'" + value + "' is not a duration (use e.g. 250ms, 15s, 5m, 1h or ISO-8601 PT15S)";
    }
}
