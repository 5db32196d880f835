package io.vipwatch.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.testing.CapturedEvents;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.InputEvent;

/** The ordering rules of the nodeAssigned Event fallback, for deliveries a relist or resync can produce. */
class SpeakerEventTrackerTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final CapturedEvents captured = new CapturedEvents();
    private final Map<String, String> uids = new HashMap<>(Map.of("default/web", "uid-2"));
    private SpeakerEventTracker tracker;

    @BeforeEach
    void liveService() {
        final AnnouncementLedger ledger = new AnnouncementLedger(
                Provenance.collector("c1", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), captured.sink());
        ledger.serviceAppeared("default/web");
        tracker = new SpeakerEventTracker(ledger, true, true, uids::get);
    }

    @Test
    void anOlderEventDeliveredLateChangesNothing() {
        tracker.upsert(event("web.2", "worker-2", T0.plusSeconds(5), "uid-2"));
        tracker.upsert(event("web.1", "worker-1", T0, "uid-2"));
        assertThat(captured.drainNonHeartbeats()).extracting(SpeakerEventTrackerTest::summary)
                .containsExactly("ANNOUNCE worker-2");
    }

    @Test
    void ofTwoEventsInTheSameSecondTheFirstSeenStays() {
        tracker.upsert(event("web.1", "worker-1", T0, "uid-2"));
        tracker.upsert(event("web.2", "worker-2", T0, "uid-2"));
        tracker.upsert(event("web.1", "worker-1", T0, "uid-2"));
        assertThat(captured.drainNonHeartbeats()).extracting(SpeakerEventTrackerTest::summary)
                .containsExactly("ANNOUNCE worker-1");
    }

    @Test
    void eventsAboutAnEarlierServiceOfTheSameNameAreIgnored() {
        tracker.upsert(event("web.old", "worker-9", T0.plusSeconds(60), "uid-1"));
        assertThat(captured.drainNonHeartbeats()).isEmpty();
    }

    @Test
    void afterTheServiceIsGoneItsOldEventsCannotAnnounceAgain() {
        tracker.upsert(event("web.1", "worker-1", T0, "uid-2"));
        tracker.serviceGone("default/web");
        tracker.upsert(event("web.1", "worker-1", T0, "uid-2"));
        tracker.upsert(event("web.3", "worker-3", T0.plusSeconds(1), "uid-2"));
        assertThat(captured.drainNonHeartbeats()).extracting(SpeakerEventTrackerTest::summary)
                .containsExactly("ANNOUNCE worker-1", "WITHDRAW worker-1", "ANNOUNCE worker-3");
    }

    static Event event(final String name, final String node, final Instant last, final String uid) {
        return new EventBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewInvolvedObject().withKind("Service").withNamespace("default").withName("web").withUid(uid)
                .endInvolvedObject().withReason("nodeAssigned")
                .withMessage("announcing from node \"" + node + "\" with protocol \"layer2\"").withCount(1)
                .withLastTimestamp(last.toString()).build();
    }

    static String summary(final InputEvent event) {
        final AnnouncementChange a = (AnnouncementChange) event;
        assertThat(a.announcer()).isEqualTo(Announcer.METALLB_L2);
        assertThat(a.evidence()).extracting(Evidence::kind).isIn("EVENT", "OTHER");
        return a.op() + " " + a.node();
    }
}
