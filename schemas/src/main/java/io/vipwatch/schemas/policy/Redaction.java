package io.vipwatch.schemas.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of log lines and error messages: the one place that knows what a secret looks like. A URL
 * loses its user info and the values of secret query parameters; a command-line message loses the value of any
 * {@code --option=VALUE} whose name says password, token, secret, key or jaas.
 */
public final class Redaction {

    public static final String HIDDEN = "***";

    /** user:password@ in any URL, including jdbc:postgresql://user:pw@host/db. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s?#]*@");
    /** password=..., token=..., secret=..., sslpassword=..., *jaas*=... in a query string or properties text. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;\\s]|^)([\\w.-]*(?:password|passwd|token|secret|jaas|apikey|api-key)[\\w.-]*)=([^&;\\s'\"]*)");
    /** --jdbc-password=VALUE, --api-token=VALUE, ... on a command line or in picocli's messages. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)(--?[\\w-]*(?:password|passwd|token|secret|jaas|key)[\\w-]*)=([^'\"\\s,]*)");

    /** Any --option=VALUE. */
    private static final Pattern ANY_OPTION = Pattern.compile("(--?[\\w-]+)=([^'\"\\s,]*)");

    private Redaction() {
    }

    /**
     * A message about arguments that could not be matched (an unknown, perhaps misspelt, option): every
     * {@code --option=VALUE} loses its value, since a misspelt {@code --jdbc-pasword} carries a password too.
     */
    public static String unmatchedArguments(final String message) {
        if (message == null) {
            return null;
        }
        return url(ANY_OPTION.matcher(message).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + HIDDEN)));
    }

    /** A URL fit for a log line: no user info, no secret query parameters. */
    public static String url(final String url) {
        if (url == null) {
            return null;
        }
        return secretParameters(USER_INFO.matcher(url).replaceAll(Matcher.quoteReplacement(HIDDEN + "@")));
    }

    /** A message fit for a log line or stderr: secret option values and URL credentials hidden. */
    public static String message(final String message) {
        if (message == null) {
            return null;
        }
        final String options = SECRET_OPTION.matcher(message).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + "=" + HIDDEN));
        return url(options);
    }

    private static String secretParameters(final String text) {
        return SECRET_PARAMETER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "="
                + HIDDEN));
    }
}
