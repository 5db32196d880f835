package io.vipwatch.collector.probe;

import java.util.Locale;
import java.util.regex.Pattern;

/** Link-layer addresses in the one form vipwatch writes: lowercase {@code aa:bb:cc:dd:ee:ff}. */
public final class Macs {

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private Macs() {
    }

    /** {@code 4A:FF:81:F1:DB:A4} → {@code 4a:ff:81:f1:db:a4}. @throws IllegalArgumentException if it is no MAC */
    public static String canonical(final String text) {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        if (!MAC.matcher(lower).matches()) {
            throw new IllegalArgumentException("not a MAC address (aa:bb:cc:dd:ee:ff): '" + text + "'");
        }
        return lower;
    }

    /** Six bytes as {@code aa:bb:cc:dd:ee:ff}. */
    public static String format(final byte[] bytes, final int offset) {
        final StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((bytes[offset + i] >> 4) & 0xf, 16))
                    .append(Character.forDigit(bytes[offset + i] & 0xf, 16));
        }
        return text.toString();
    }
}
