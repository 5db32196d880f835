package io.vipwatch.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import io.vipwatch.store.Migrations;
import io.vipwatch.store.internal.Rows.InputEventRow;
import io.vipwatch.store.internal.Rows.OwnershipChangeRow;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithPostgres;

/**
 * The sink's binary COPY stores what the same values written as text store (times as the text COPY wrote them
 * before: microseconds, finer digits dropped): the rows the queries read do not depend on how the sink sends them.
 */
@WithPostgres
class CopyBinaryIT {

    private static final DateTimeFormatter TEXT_COPY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);
    private static final List<String> HOSTILE = List.of("cp-1", "tab\there", "new\nline", "back\\slash \\N", "\"quoted\"",
            "{braces},comma", "NULL", "", "é ü 中 😀", "it's");

    @Test
    void storesOwnershipChangesAsTheTextInsertWould(final TestDatabase db) {
        Migrations.migrate(db.dataSource());
        final Jdbi jdbi = Jdbis.create(db.dataSource());
        final List<OwnershipChangeRow> rows = new ArrayList<>();
        final List<Instant> times = List.of(Instant.parse("2026-11-01T03:12:00.123456789Z"),
                Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("2026-11-30T23:59:59.000001Z"));
        for (int i = 0; i < HOSTILE.size(); i++) {
            final String text = HOSTILE.get(i);
            final Instant at = times.get(i % times.size());
            rows.add(new OwnershipChangeRow(at, "copy-c" + i + text, "198.51.100." + (i + 1), "ev-" + i + text,
                    List.of(text, "worker-1"), i % 2 == 0 ? List.of() : List.of(text), i % 3 == 0 ? null : text, text,
                    text, i % 2 == 0 ? null : text, text, at.plusSeconds(i)));
        }
        jdbi.useHandle(handle -> {
            for (final OwnershipChangeRow row : rows) {
                handle.execute("SELECT vipwatch_ensure_partition('ownership_changes', ?)", Months.start(row.at()));
            }
            handle.execute("CREATE TABLE copy_expected_changes (LIKE ownership_changes)");
            for (final OwnershipChangeRow row : rows) {
                handle.createUpdate("""
                        INSERT INTO copy_expected_changes VALUES (CAST(:at AS timestamptz), :cluster, :ip, :eventId,
                            CAST(:before AS text[]), CAST(:after AS text[]), :service, :causeType, :causeKey,
                            :causeEventId, :causeSource, CAST(:causeObservedAt AS timestamptz))
                        """)
                        .bind("at", textCopy(row.at())).bind("cluster", row.cluster()).bind("ip", row.ip())
                        .bind("eventId", row.eventId()).bind("before", arrayLiteral(row.beforeNodes()))
                        .bind("after", arrayLiteral(row.afterNodes())).bind("service", row.service())
                        .bind("causeType", row.causeType()).bind("causeKey", row.causeKey())
                        .bind("causeEventId", row.causeEventId()).bind("causeSource", row.causeSource())
                        .bind("causeObservedAt", textCopy(row.causeObservedAt())).execute();
            }
            handle.begin();
            BatchWriter.copyOwnershipChanges(handle, rows);
            handle.commit();
        });

        assertThat(rows(jdbi, "ownership_changes")).hasSize(rows.size()).isEqualTo(rows(jdbi, "copy_expected_changes"));
    }

    @Test
    void storesInputEventsWithTheirJsonbAsTheTextInsertWould(final TestDatabase db) {
        Migrations.migrate(db.dataSource());
        final Jdbi jdbi = Jdbis.create(db.dataSource());
        final Instant at = Instant.parse("2026-11-01T03:12:00.5Z");
        final List<InputEventRow> rows = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            final String text = HOSTILE.get(i);
            final String json = "{\"type\":\"heartbeat\",\"text\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\t", "\\t").replace("\n", "\\n") + "\",\"n\":[1,2.50,null]}";
            rows.add(new InputEventRow(at.plusMillis(i), "vipwatch.heartbeats.v1", i, 3_000_000_000L + i, "heartbeat",
                    "copy-c" + text, i % 2 == 0 ? null : text, text, text, json));
        }
        jdbi.useHandle(handle -> {
            handle.execute("SELECT vipwatch_ensure_partition('input_events', ?)", Months.start(at));
            handle.execute("CREATE TABLE copy_expected_events (LIKE input_events)");
            for (final InputEventRow row : rows) {
                handle.createUpdate("""
                        INSERT INTO copy_expected_events VALUES (CAST(:at AS timestamptz), :topic, :partition, :offset, :type,
                            :cluster, :key, :eventId, :source, CAST(:recording AS jsonb))
                        """)
                        .bind("at", textCopy(row.observedAt())).bind("topic", row.topic())
                        .bind("partition", row.partition()).bind("offset", row.kafkaOffset()).bind("type", row.type())
                        .bind("cluster", row.cluster()).bind("key", row.recordKey()).bind("eventId", row.eventId())
                        .bind("source", row.source()).bind("recording", row.recording()).execute();
            }
            handle.begin();
            BatchWriter.copyInputEvents(handle, rows);
            handle.commit();
        });

        assertThat(rows(jdbi, "input_events")).hasSize(rows.size()).isEqualTo(rows(jdbi, "copy_expected_events"));
    }

    // how the sink wrote times in its text COPY before: microseconds, finer digits dropped (not rounded)
    private static String textCopy(final Instant at) {
        return TEXT_COPY_TIME.format(at);
    }

    private static String arrayLiteral(final List<String> values) {
        final StringBuilder literal = new StringBuilder("{");
        for (final String value : values) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            literal.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    // every column as PostgreSQL prints it, in a stable order
    private static List<Map<String, Object>> rows(final Jdbi jdbi, final String table) {
        return jdbi.withHandle((Handle handle) -> handle.createQuery(
                "SELECT to_jsonb(t)::text AS row FROM " + table + " AS t ORDER BY 1").mapToMap().list());
    }
}
