package io.vipwatch.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * A speaker announces a VIP by name and, in the same millisecond as the Service moves to another IP, also
 * announces "the Service's IPs". Whatever order the two arrive in (they come from different topics), the
 * speaker still answers for the VIP it named. Found by the jqwik order property (seed -51591).
 */
class SharedAnnouncementOrderTest {

    private static final String OLD_IP = "2001:db8::10";
    private static final String NEW_IP = "198.51.100.11";

    @ParameterizedTest(name = "announce first: {0}")
    @ValueSource(booleans = {true, false})
    void aNamedAnnouncementOutlivesTheServiceMovingAway(final boolean announceFirst) {
        final List<InputEvent> events = new ArrayList<>();
        events.add(service(1_000, OLD_IP));
        events.add(announce(2_000, OLD_IP));
        final InputEvent ipless = announce(3_000, null);
        final InputEvent moved = service(3_000, NEW_IP);
        events.add(announceFirst ? ipless : moved);
        events.add(announceFirst ? moved : ipless);

        final Recorder out = Recorder.run(DetectionSettings.defaults(), events);

        assertThat(lastResponders(out, OLD_IP)).as("worker-2 still names " + OLD_IP).containsExactly("worker-2");
        assertThat(lastResponders(out, NEW_IP)).containsExactly("worker-2");
    }

    private static List<String> lastResponders(final Recorder out, final String ip) {
        List<String> responders = List.of();
        for (final VipState state : out.states) {
            if (state.ip().equals(ip)) {
                responders = state.responders();
            }
        }
        return responders;
    }

    private static ServiceChange service(final long at, final String ip) {
        return new ServiceChange("c1", at, "collector/c1", "s-" + at + ip, ServiceChange.Op.UPSERT, "default", "web", null,
                null, "LoadBalancer", null, List.of(ip), List.of(), null,
                Map.of("metallb.io/ip-allocated-from-pool", "pool-a"));
    }

    private static AnnouncementChange announce(final long at, final String vip) {
        return new AnnouncementChange("c1", at, "collector/c1", "a-" + at + vip, AnnouncementChange.Op.ANNOUNCE,
                "default", "web", AnnouncementChange.Announcer.METALLB_L2, "worker-2", vip, List.of(), null);
    }
}
