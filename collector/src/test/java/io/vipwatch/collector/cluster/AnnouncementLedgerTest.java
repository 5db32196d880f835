package io.vipwatch.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vipwatch.collector.cluster.AnnouncementLedger.Claim;
import io.vipwatch.collector.cluster.AnnouncementLedger.Speaker;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.AnnouncementChange.Op;

class AnnouncementLedgerTest {

    static final Speaker WORKER_1 = new Speaker("default/web", Announcer.METALLB_L2, "worker-1");
    static final Evidence FIRST = new Evidence("SERVICE_L2_STATUS", "metallb-system/l2-aaaaa", null);
    static final Evidence SECOND = new Evidence("SERVICE_L2_STATUS", "metallb-system/l2-bbbbb", null);

    private final CapturedEvents captured = new CapturedEvents();
    private final AnnouncementLedger ledger = new AnnouncementLedger(
            Provenance.collector("c1", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), captured.sink());

    @Test
    void countsEvidenceSoAReplacedObjectWithdrawsNothing() {
        ledger.serviceAppeared("default/web");
        ledger.claim(WORKER_1, "l2 aaaaa", new Claim(FIRST, List.of("eth0")));
        ledger.claim(WORKER_1, "l2 bbbbb", new Claim(SECOND, List.of("eth0")));
        ledger.release(WORKER_1, "l2 aaaaa", FIRST);

        assertThat(captured.drainNonHeartbeats()).containsExactly(event(Op.ANNOUNCE, List.of("eth0"), FIRST));
        assertThat(ledger.isAnnounced(WORKER_1)).isTrue();

        ledger.release(WORKER_1, "l2 bbbbb", SECOND);
        assertThat(captured.drainNonHeartbeats()).containsExactly(event(Op.WITHDRAW, List.of("eth0"), SECOND));
    }

    @Test
    void holdsEvidenceWhileTheServiceIsUnknownOrGone() {
        ledger.claim(WORKER_1, "l2 aaaaa", new Claim(FIRST, List.of()));
        assertThat(captured.drainNonHeartbeats()).isEmpty();

        ledger.serviceAppeared("default/web");
        final Evidence gone = new Evidence("OTHER", "default/web", "Service deleted");
        ledger.serviceGone("default/web", gone);
        ledger.serviceAppeared("default/web");

        assertThat(captured.drainNonHeartbeats()).containsExactly(event(Op.ANNOUNCE, List.of(), FIRST),
                event(Op.WITHDRAW, List.of(), gone), event(Op.ANNOUNCE, List.of(), FIRST));
    }

    @Test
    void reannouncesWhenTheInterfacesChangeAndIgnoresARepeat() {
        ledger.serviceAppeared("default/web");
        ledger.claim(WORKER_1, "l2 aaaaa", new Claim(FIRST, List.of()));
        ledger.claim(WORKER_1, "l2 aaaaa", new Claim(FIRST, List.of("eth0")));
        ledger.claim(WORKER_1, "l2 aaaaa", new Claim(FIRST, List.of("eth0")));

        assertThat(captured.drainNonHeartbeats()).containsExactly(event(Op.ANNOUNCE, List.of(), FIRST),
                event(Op.ANNOUNCE, List.of("eth0"), FIRST));
    }

    static AnnouncementChange event(final Op op, final List<String> interfaces, final Evidence evidence) {
        return new AnnouncementChange("c1", 0, "collector/c1", "-", op, "default", "web", Announcer.METALLB_L2,
                "worker-1", null, interfaces, evidence);
    }
}
