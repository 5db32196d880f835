package io.vipwatch.streams.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.AlertState;
import io.vipwatch.streams.core.vocabulary.Severity;

/**
 * The one alert line format ({@code vipwatch analyze}, console output): a JSON object with exactly the
 * fields {@code state, kind, severity, cluster, vip, service, nodes, at, fingerprint, episode, hint} in that
 * order; severity in lower case, {@code at} in RFC 3339 UTC, absent values as {@code null}.
 */
public final class AlertJson {

    private AlertJson() {
    }

    /** The line of a transition (an alert consumed from the alerts topic: map it with {@code AvroOutputs} first). */
    public static String format(final Alert alert) {
        return format(alert.state(), alert.kind(), alert.severity(), alert.cluster(), alert.vip(), alert.service(),
                alert.nodes(), alert.at(), alert.fingerprint(), alert.episode(), alert.hint());
    }

    private static String format(final AlertState state, final AlertKind kind, final Severity severity,
            final String cluster, final String vip, final String service, final List<String> nodes, final long at,
            final String fingerprint, final String episode, final String hint) {
        final StringBuilder out = new StringBuilder(256);
        out.append("{\"state\":");
        string(out, state.name());
        out.append(",\"kind\":");
        string(out, kind.name());
        out.append(",\"severity\":");
        string(out, severity.name().toLowerCase(Locale.ROOT));
        out.append(",\"cluster\":");
        string(out, cluster);
        out.append(",\"vip\":");
        string(out, vip);
        out.append(",\"service\":");
        string(out, service);
        out.append(",\"nodes\":[");
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(out, nodes.get(i));
        }
        out.append("],\"at\":");
        string(out, Instant.ofEpochMilli(at).toString());
        out.append(",\"fingerprint\":");
        string(out, fingerprint);
        out.append(",\"episode\":");
        string(out, episode);
        out.append(",\"hint\":");
        string(out, hint);
        return out.append('}').toString();
    }

    private static void string(final StringBuilder out, final String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char ch = value.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
