package io.vipwatch.collector.cli;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.KafkaEventSink;
import io.vipwatch.collector.publish.RecordingEventSink;
import io.vipwatch.schemas.cli.KafkaOptions;

/** Where a role's events go: the recording named by {@code --output}, else Kafka. */
final class Outputs {

    private Outputs() {
    }

    /**
     * @throws IllegalArgumentException naming the flag when neither a recording nor a broker is given, or the
     *         Kafka client configuration cannot be read
     */
    static EventSink open(final String output, final KafkaOptions kafka) {
        if (output != null && !output.isBlank()) {
            return RecordingEventSink.open(output);
        }
        if (!kafka.hasBootstrapServers()) {
            throw new IllegalArgumentException("nowhere to publish: give --bootstrap-servers (env "
                    + "VIPWATCH_BOOTSTRAP_SERVERS) or --output FILE|- (env VIPWATCH_OUTPUT) to write a recording");
        }
        return new KafkaEventSink(kafka.clientProperties(), kafka.topics());
    }

    static String describe(final String output, final KafkaOptions kafka) {
        if (output != null && !output.isBlank()) {
            return "-".equals(output) ? "a recording on standard output" : "the recording " + output;
        }
        return "Kafka at " + kafka.bootstrapServers() + (kafka.topics().prefix().isEmpty() ? ""
                : " (topic prefix " + kafka.topics().prefix() + ")");
    }
}
