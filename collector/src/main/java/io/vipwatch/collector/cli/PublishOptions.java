package io.vipwatch.collector.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.KafkaEventSink;
import io.vipwatch.collector.publish.KafkaPublicationMemory;
import io.vipwatch.collector.publish.PublicationMemory;
import io.vipwatch.collector.publish.RecordingEventSink;
import io.vipwatch.collector.publish.StateFile;
import io.vipwatch.schemas.cli.KafkaOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where a collecting role's events go, the same for {@code collect} and {@code node-agent}: the cluster id,
 * the recording named by {@code --output}, else Kafka.
 */
final class PublishOptions {

    @Option(names = "--cluster", paramLabel = "ID", defaultValue = "${env:VIPWATCH_CLUSTER}",
            description = "Fleet-unique cluster id, no '/' (env VIPWATCH_CLUSTER; required, 'local' with --output).")
    String cluster;

    @Option(names = "--output", paramLabel = "FILE|-", defaultValue = "${env:VIPWATCH_OUTPUT}",
            description = "Write a recording (JSON Lines) to FILE (appended) or - (stdout) instead of publishing "
                    + "to Kafka (env VIPWATCH_OUTPUT; default: publish).")
    String output;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    /** The cluster id given, or {@code local} when only capturing a recording. */
    String clusterId() {
        return cluster == null && output != null ? "local" : cluster;
    }

    /** @throws ParameterException naming the flag when there is nowhere to publish or it cannot be opened */
    EventSink open(final CommandSpec spec) {
        try {
            if (output != null && !output.isBlank()) {
                return RecordingEventSink.open(output);
            }
            if (!kafka.hasBootstrapServers()) {
                throw new IllegalArgumentException("nowhere to publish: give --bootstrap-servers (env "
                        + "VIPWATCH_BOOTSTRAP_SERVERS) or --output FILE|- (env VIPWATCH_OUTPUT) to write a recording");
            }
            return new KafkaEventSink(kafka.clientProperties(), kafka.topics());
        } catch (final IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Where the API collector remembers what it published: the compacted collector-state topic when publishing to
     * Kafka, {@code stateFile} when writing a recording, nothing when writing a recording without one.
     *
     * @throws ParameterException naming the flag when a state file is given while publishing to Kafka
     */
    PublicationMemory memory(final EventSink sink, final String clusterId, final Path stateFile,
            final CommandSpec spec) {
        if (sink instanceof KafkaEventSink kafkaSink) {
            if (stateFile != null) {
                throw new ParameterException(spec.commandLine(), "--state-file " + stateFile + " goes with --output: "
                        + "publishing to Kafka, the collector remembers what it published in "
                        + kafka.topics().collectorState());
            }
            return new KafkaPublicationMemory(kafka.clientProperties(), kafka.topics(), clusterId,
                    kafkaSink.publisher(), Clock.systemUTC());
        }
        return stateFile == null ? PublicationMemory.NONE : new StateFile(stateFile, clusterId);
    }

    /** Whether events go to a recording (--output) rather than Kafka. */
    boolean recording() {
        return output != null && !output.isBlank();
    }

    String describe() {
        if (output != null && !output.isBlank()) {
            return "-".equals(output) ? "a recording on standard output" : "the recording " + output;
        }
        return "Kafka at " + kafka.bootstrapServers() + (kafka.topics().prefix().isEmpty() ? ""
                : " (topic prefix " + kafka.topics().prefix() + ")");
    }
}
