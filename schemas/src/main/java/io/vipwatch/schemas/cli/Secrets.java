package io.vipwatch.schemas.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in strings that are printed or logged: no password in a log line. */
public final class Secrets {

    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|sslpassword|sslkey_password|token|secret)=)([^&;]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#]*:)([^/@?#]*)(@)");
    private static final String MASK = "****";

    private Secrets() {
    }

    /** A JDBC (or any) URL with the password parameter and the password of {@code user:password@} masked. */
    public static String maskUrl(final String url) {
        if (url == null) {
            return null;
        }
        final String masked = QUERY_SECRET.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return USER_INFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
    }
}
