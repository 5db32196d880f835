package io.vipwatch.ops.telemetry;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vipwatch.schemas.policy.DeadLetterReason;

/**
 * {@code vipwatch_dead_letters_total{role,reason,topic}}: records a role dead-lettered to {@code vipwatch.dlq.v1}, by
 * the reason code of the contract ({@link DeadLetterReason}) and the topic the record came from. One
 * implementation for every role that dead-letters (streams, store, the demo that runs both); the {@code role} tag is
 * the registry's common tag. Cardinality is bounded: the reason codes are a fixed list (an unknown code counts as
 * {@code unexpected}) and the topics are the role's input topics.
 */
public final class DeadLetterMetrics {

    /** The meter's name (Prometheus adds {@code _total}). */
    public static final String NAME = "vipwatch_dead_letters";

    private final MeterRegistry registry;

    public DeadLetterMetrics(final MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts one dead letter of {@code topic} for {@code reason}. */
    public void record(final DeadLetterReason reason, final String topic) {
        counter(reason == null ? DeadLetterReason.UNEXPECTED : reason, topic).increment();
    }

    /** Counts one dead letter by its reason code ({@link DeadLetterReason#code()}); an unknown code is {@code unexpected}. */
    public void record(final String reasonCode, final String topic) {
        record(DeadLetterReason.ofCode(reasonCode), topic);
    }

    /** Registers the counter of {@code reason} and {@code topic} at zero, so a rate is defined before the first one. */
    public void declare(final DeadLetterReason reason, final String topic) {
        counter(reason, topic);
    }

    private Counter counter(final DeadLetterReason reason, final String topic) {
        return Counter.builder(NAME)
                .description("Records dead-lettered to vipwatch.dlq.v1, by reason code and source topic")
                .tags(Tags.of("reason", reason.code(), "topic", topic == null ? "unknown" : topic))
                .register(registry);
    }
}
