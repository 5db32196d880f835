package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vipwatch.streams.fleet.FleetRecording;
import io.vipwatch.streams.core.state.StateCodec;
import io.vipwatch.streams.core.state.VipRecord;

/** Issue 8 target (docs/benchmarks.md): at most 1 KB of state per tracked VIP. */
class StateSizeTest {

    @Test
    void aTrackedVipTakesLessThanOneKilobyteInTheStore() {
        final InMemoryState state = new InMemoryState();
        final Detector detector = new Detector(DetectionSettings.defaults(), state, alert -> { });
        new FleetRecording(3, 2, 10, 30, true).events(40_000).forEach(detector::accept);

        int vips = 0;
        int largest = 0;
        long total = 0;
        for (final String cluster : state.clusters()) {
            for (final VipRecord vip : state.vips().all(cluster)) {
                final int size = StateCodec.encode(vip).length;
                largest = Math.max(largest, size);
                total += size;
                vips++;
            }
        }
        assertThat(vips).isEqualTo(60);
        assertThat(largest).isLessThan(1024);
        assertThat(total / vips).isLessThan(512);
    }
}
