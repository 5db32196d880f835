package io.vipwatch.testkit.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Names that no other test class of this JVM, and almost surely no other run, uses. */
public final class TestNames {

    private static final SecureRandom RANDOM = new SecureRandom();
    // every suffix handed out in this JVM, so two classes never share one
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();
    private static final int MAX_CLASS_PART = 50;

    private TestNames() {
    }

    /** A topic prefix such as {@code t4f2a1c.}. */
    public static String topicPrefix() {
        return "t" + uniqueSuffix() + ".";
    }

    /**
     * A database name such as {@code vw_historywriterit_4f2a1c}: a plain lower-case identifier of at
     * most 63 characters (PostgreSQL's limit).
     */
    public static String databaseName(final Class<?> testClass) {
        String classPart = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (classPart.length() > MAX_CLASS_PART) {
            classPart = classPart.substring(0, MAX_CLASS_PART);
        }
        return "vw_" + classPart + "_" + uniqueSuffix();
    }

    private static String uniqueSuffix() {
        while (true) {
            final byte[] bytes = new byte[3];
            RANDOM.nextBytes(bytes);
            final String suffix = HexFormat.of().formatHex(bytes);
            if (ISSUED.add(suffix)) {
                return suffix;
            }
        }
    }
}
