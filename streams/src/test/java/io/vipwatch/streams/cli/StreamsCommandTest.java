package io.vipwatch.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vipwatch.streams.StreamsSettings;
import picocli.CommandLine;

class StreamsCommandTest {

    private static StreamsSettings settings(final String... args) {
        final StreamsCommand command = new StreamsCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void buildsTheSettingsFromTheFlags() {
        final StreamsSettings s = settings("--bootstrap-servers", "broker:9092", "--topic-prefix", "t1.",
                "--application-id", "vw", "--state-dir", "/var/lib/vw", "--grace", "5s", "--flap-suppress", "3000",
                "--silence-after", "1m", "--punctuation-interval", "250ms", "--wall-clock-advance", "false",
                "--threads", "2", "--standby-replicas", "1", "--replication-factor", "3", "--create-topics", "6");

        assertThat(s.clientProperties()).containsEntry("bootstrap.servers", "broker:9092");
        assertThat(s.topics().alerts()).isEqualTo("t1.vipwatch.alerts.v1");
        assertThat(s.applicationId()).isEqualTo("vw");
        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/vw"));
        assertThat(s.detection().grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.detection().flapSuppress()).isEqualTo(3000);
        assertThat(s.detection().flapCap()).isEqualTo(12000);
        assertThat(s.detection().silenceAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.punctuationInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.wallClockAdvance()).isFalse();
        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.standbyReplicas()).isEqualTo(1);
        assertThat(s.replicationFactor()).isEqualTo(3);
        assertThat(s.createTopicsPartitions()).isEqualTo(6);
    }

    @Test
    void usesTheDocumentedDefaults() {
        final StreamsSettings s = settings("--bootstrap-servers", "broker:9092");

        assertThat(s.applicationId()).isEqualTo("vipwatch-streams");
        assertThat(s.detection().grace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.wallClockAdvance()).isTrue();
        assertThat(s.punctuationInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.threads()).isEqualTo(1);
    }

    @Test
    void theTopicPrefixIsolatesTheApplicationIdAsItDoesTheTopics() {
        final StreamsSettings s = settings("--bootstrap-servers", "broker:9092", "--topic-prefix", "tenant-a.");

        assertThat(s.applicationId()).isEqualTo("tenant-a.vipwatch-streams");
        assertThat(s.topics().alerts()).isEqualTo("tenant-a.vipwatch.alerts.v1");
        assertThat(s.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void failsAtStartNamingAMissingBroker() {
        assertThatThrownBy(() -> settings()).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--bootstrap-servers").hasMessageContaining("VIPWATCH_BOOTSTRAP_SERVERS");
    }

    @Test
    void failsAtStartNamingAnOutOfRangeValue() {
        assertThatThrownBy(() -> settings("--bootstrap-servers", "b:9092", "--threads", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--threads");
        assertThatThrownBy(() -> settings("--bootstrap-servers", "b:9092", "--flap-half-life", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--flap-half-life");
    }

    @Test
    void exitsWithTwoOnBadUsage() {
        final int code = new CommandLine(new StreamsCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--bootstrap-servers", "b:9092", "--grace", "soon");
        assertThat(code).isEqualTo(2);
    }
}
