package io.vipwatch.schemas;

/**
 * Parses IP address text and writes it back in canonical form: IPv4 as a dotted quad, IPv6 per
 * RFC 5952 (lower-case hex, no leading zeros, the longest run of two or more zero groups as "::",
 * IPv4-mapped addresses as {@code ::ffff:a.b.c.d}). Never touches DNS.
 */
public final class Ips {

    private Ips() {
    }

    /**
     * The canonical text of an IP address.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static String canonical(final String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') >= 0) {
            return formatV6(parseV6(text));
        }
        parseV4(text, text);
        // an IPv4 text the parser accepts (four decimal octets, no leading zeros) is already canonical
        return text;
    }

    private static int parseV4(final String text, final String whole) {
        int value = 0;
        int octets = 0;
        int start = 0;
        final int length = text.length();
        for (int i = 0; i <= length; i++) {
            if (i == length || text.charAt(i) == '.') {
                final int digits = i - start;
                for (int j = start; j < i; j++) {
                    final char c = text.charAt(j);
                    if (c < '0' || c > '9') {
                        throw invalid(whole, "unexpected character '" + c + "'");
                    }
                }
                if (digits == 0 || digits > 3) {
                    throw invalid(whole, "IPv4 octet " + (octets + 1) + " must have 1 to 3 digits");
                }
                if (digits > 1 && text.charAt(start) == '0') {
                    throw invalid(whole, "leading zero in IPv4 octet " + (octets + 1));
                }
                int octet = 0;
                for (int j = start; j < i; j++) {
                    octet = octet * 10 + (text.charAt(j) - '0');
                }
                if (octet > 255) {
                    throw invalid(whole, "IPv4 octet " + (octets + 1) + " is over 255");
                }
                octets++;
                if (octets > 4) {
                    throw invalid(whole, "more than 4 IPv4 octets");
                }
                value = (value << 8) | octet;
                start = i + 1;
            }
        }
        if (octets != 4) {
            throw invalid(whole, "an IPv4 address has 4 octets");
        }
        return value;
    }

    private static String formatV4(final int value) {
        return ((value >>> 24) & 0xff) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "."
                + (value & 0xff);
    }

    /** Eight 16-bit groups. */
    private static int[] parseV6(final String text) {
        if (text.indexOf('%') >= 0) {
            throw invalid(text, "zone ids are not allowed");
        }
        final int[] groups = new int[8];
        final int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw invalid(text, "'::' may appear only once");
        }
        final String head = gap >= 0 ? text.substring(0, gap) : text;
        final String tail = gap >= 0 ? text.substring(gap + 2) : "";
        final int[] headGroups = parseGroups(head, text, gap < 0 || tail.isEmpty());
        final int[] tailGroups = gap >= 0 ? parseGroups(tail, text, true) : new int[0];
        final int count = headGroups.length + tailGroups.length;
        if (gap < 0 && count != 8) {
            throw invalid(text, "an IPv6 address has 8 groups without '::'");
        }
        if (gap >= 0 && count > 7) {
            throw invalid(text, "too many groups for '::'");
        }
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        return groups;
    }

    private static int[] parseGroups(final String part, final String whole, final boolean mayEndWithV4) {
        if (part.isEmpty()) {
            return new int[0];
        }
        final String[] pieces = part.split(":", -1);
        int count = pieces.length;
        final String last = pieces[pieces.length - 1];
        final boolean v4Tail = last.indexOf('.') >= 0;
        if (v4Tail) {
            if (!mayEndWithV4) {
                throw invalid(whole, "an embedded IPv4 address must come last");
            }
            count++;
        }
        final int[] groups = new int[count];
        final int hexPieces = v4Tail ? pieces.length - 1 : pieces.length;
        for (int i = 0; i < hexPieces; i++) {
            groups[i] = parseHexGroup(pieces[i], whole);
        }
        if (v4Tail) {
            final int v4 = parseV4(last, whole);
            groups[count - 2] = v4 >>> 16;
            groups[count - 1] = v4 & 0xffff;
        }
        return groups;
    }

    private static int parseHexGroup(final String piece, final String whole) {
        if (piece.isEmpty() || piece.length() > 4) {
            throw invalid(whole, "IPv6 group '" + piece + "' must have 1 to 4 hex digits");
        }
        int value = 0;
        for (int i = 0; i < piece.length(); i++) {
            final int digit = Character.digit(piece.charAt(i), 16);
            if (digit < 0) {
                throw invalid(whole, "unexpected character '" + piece.charAt(i) + "'");
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static String formatV6(final int[] groups) {
        // RFC 5952 section 5: IPv4-mapped addresses keep the dotted tail
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return "::ffff:" + formatV4((groups[6] << 16) | groups[7]);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        final StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static IllegalArgumentException invalid(final String text, final String reason) {
        return new IllegalArgumentException("invalid IP address '" + text + "': " + reason);
    }
}
