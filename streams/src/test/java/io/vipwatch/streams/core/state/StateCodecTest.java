package io.vipwatch.streams.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vipwatch.streams.core.vocabulary.AlertKind;
import io.vipwatch.streams.core.vocabulary.Announcer;

/**
 * The state codec reads what every earlier format wrote (changelogs outlive the code), and its own
 * form round-trips. The golden files hold records written by each format version (see {@link GoldenState}).
 */
class StateCodecTest {

    private record Golden(String type, byte[] bytes, String text) {
    }

    private static List<Golden> golden(final String file) throws IOException {
        final List<Golden> out = new ArrayList<>();
        try (InputStream in = StateCodecTest.class.getResourceAsStream("/state/" + file)) {
            assertThat(in).as(file).isNotNull();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                final String[] parts = line.split("\t", 3);
                out.add(new Golden(parts[0], Base64.getDecoder().decode(parts[1]), parts[2]));
            }
        }
        return out;
    }

    /** Decodes with the current codec and describes what it read. */
    private static String read(final Golden g) {
        return switch (g.type()) {
            case "cluster" -> StateText.of(StateCodec.decodeCluster(g.bytes()));
            case "service" -> StateText.of(StateCodec.decodeService(g.bytes()));
            case "node" -> StateText.of(StateCodec.decodeNode(g.bytes()));
            case "source" -> StateText.of(StateCodec.decodeSource(g.bytes()));
            case "vip" -> StateText.of(StateCodec.decodeVip(g.bytes()));
            default -> throw new AssertionError(g.type());
        };
    }

    /** Decodes and encodes again with the current codec. */
    private static byte[] reencode(final Golden g) {
        return switch (g.type()) {
            case "cluster" -> StateCodec.encode(StateCodec.decodeCluster(g.bytes()));
            case "service" -> StateCodec.encode(StateCodec.decodeService(g.bytes()));
            case "node" -> StateCodec.encode(StateCodec.decodeNode(g.bytes()));
            case "source" -> StateCodec.encode(StateCodec.decodeSource(g.bytes()));
            case "vip" -> StateCodec.encode(StateCodec.decodeVip(g.bytes()));
            default -> throw new AssertionError(g.type());
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"state-v1.txt", "state-v2.txt", "state-v3.txt"})
    void readsStateWrittenByEveryFormatVersionToTheSameState(final String file) throws IOException {
        final List<Golden> records = golden(file);
        assertThat(records).hasSizeGreaterThan(100);
        assertThat(records).extracting(Golden::type).contains("cluster", "service", "node", "source", "vip");
        for (final Golden g : records) {
            assertThat(read(g)).as("%s record of %s", g.type(), file).isEqualTo(g.text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"state-v1.txt", "state-v2.txt"})
    void olderStateIsRewrittenInTheCurrentFormatWithTheSameMeaning(final String file) throws IOException {
        for (final Golden g : golden(file)) {
            final byte[] rewritten = reencode(g);
            assertThat(rewritten[0]).isEqualTo(StateCodec.VERSION);
            assertThat(read(new Golden(g.type(), rewritten, g.text()))).isEqualTo(g.text());
        }
    }

    @Test
    void theCurrentFormatRoundTripsByteForByte() throws IOException {
        for (final Golden g : golden("state-v3.txt")) {
            assertThat(g.bytes()[0]).isEqualTo(StateCodec.VERSION);
            assertThat(reencode(g)).as("%s %s", g.type(), g.text()).isEqualTo(g.bytes());
        }
    }

    @Test
    void stableCodesAreExplicitAndDistinct() {
        assertThat(StateCodec.code(Announcer.METALLB_L2)).isEqualTo(1);
        assertThat(StateCodec.code(Announcer.METALLB_BGP)).isEqualTo(2);
        assertThat(StateCodec.code(Announcer.KUBE_VIP)).isEqualTo(3);
        assertThat(StateCodec.code(AlertKind.FOREIGN_BINDING)).isEqualTo(1);
        assertThat(StateCodec.code(AlertKind.FLAPPING)).isEqualTo(7);
        assertThat(StateCodec.code(AlertKind.COLLECTOR_SILENT)).isEqualTo(8);
        assertThat(StateCodec.code(AlertKind.UNKNOWN_RESPONDER)).isEqualTo(9);
        assertThat(StateCodec.code(AlertKind.WIRE_SILENT)).isEqualTo(10);
        for (final AlertKind kind : AlertKind.values()) {
            assertThat(StateCodec.kind(StateCodec.code(kind), "vip")).isEqualTo(kind);
        }
        for (final Announcer a : Announcer.values()) {
            assertThat(StateCodec.announcer(StateCodec.code(a), "vip")).isEqualTo(a);
        }
    }

    @Test
    void aRecordOfAnUnknownFormatVersionOrCodeIsRefusedByName() {
        final byte[] bytes = StateCodec.encode(new ClusterRecord("c1"));
        bytes[0] = 9;
        assertThatThrownBy(() -> StateCodec.decodeCluster(bytes))
                .hasMessageContaining("cluster state").hasMessageContaining("format version 9");
        assertThatThrownBy(() -> StateCodec.kind(99, "vip")).hasMessageContaining("unknown condition kind code 99");
        assertThatThrownBy(() -> StateCodec.announcer(0, "service")).hasMessageContaining("unknown announcer code 0");
    }
}
