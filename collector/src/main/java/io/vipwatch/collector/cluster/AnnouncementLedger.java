package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.AnnouncementChange.Op;

/**
 * Turns evidence that a node announces a Service's VIP into ANNOUNCE / WITHDRAW events, once per change.
 *
 * <p>A speaker (Service, announcer, node) is announced while at least one piece of evidence claims it and the
 * Service is a known LoadBalancer Service. Counting evidence, instead of mirroring objects one to one, keeps
 * MetalLB's re-creation of a ServiceL2Status on the same node (new object first, old one deleted after) from
 * looking like a withdrawal, and lets a Lease and the vipHost annotation name the same kube-vip node without
 * doubling the events. Evidence for a Service not known yet is held and announced when the Service appears, so
 * consumers see the Service before its announcements.
 */
final class AnnouncementLedger {

    /** One node answering for one Service's VIP, by one announcer. */
    record Speaker(String service, Announcer announcer, String node) {
    }

    /** One piece of evidence for a speaker and the interfaces it names. */
    record Claim(Evidence evidence, List<String> interfaces) {
        Claim {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }
    }

    private final Provenance provenance;
    private final EventSink sink;

    // service ns/name -> speaker -> claim id (evidence kind + object) -> claim
    private final Map<String, Map<Speaker, Map<String, Claim>>> claims = new HashMap<>();
    // speaker -> interfaces in its last ANNOUNCE; absent when not announced
    private final Map<Speaker, List<String>> announced = new HashMap<>();
    // ns/name of the Services published as LoadBalancer
    private final Set<String> liveServices = new HashSet<>();

    AnnouncementLedger(final Provenance provenance, final EventSink sink) {
        this.provenance = provenance;
        this.sink = sink;
    }

    /** Records (or refreshes) one piece of evidence; publishes an ANNOUNCE when the speaker's state changes. */
    void claim(final Speaker speaker, final String claimId, final Claim claim) {
        claims.computeIfAbsent(speaker.service(), s -> new LinkedHashMap<>())
                .computeIfAbsent(speaker, s -> new LinkedHashMap<>())
                .put(claimId, claim);
        reconcile(speaker, claim.evidence(), true);
    }

    /** Drops one piece of evidence; publishes a WITHDRAW when it was the last one for an announced speaker. */
    void release(final Speaker speaker, final String claimId, final Evidence why) {
        final Map<Speaker, Map<String, Claim>> forService = claims.get(speaker.service());
        if (forService == null) {
            return;
        }
        final Map<String, Claim> forSpeaker = forService.get(speaker);
        if (forSpeaker == null || forSpeaker.remove(claimId) == null) {
            return;
        }
        if (forSpeaker.isEmpty()) {
            forService.remove(speaker);
            if (forService.isEmpty()) {
                claims.remove(speaker.service());
            }
        }
        reconcile(speaker, why, false);
    }

    /** The Service is now a published LoadBalancer Service: announce the evidence held for it. */
    void serviceAppeared(final String service) {
        if (liveServices.add(service)) {
            for (final Speaker speaker : speakersOf(service)) {
                reconcile(speaker, null, false);
            }
        }
    }

    /** The Service is deleted or no longer a LoadBalancer: withdraw every announced speaker, keep the evidence. */
    void serviceGone(final String service, final Evidence why) {
        if (liveServices.remove(service)) {
            for (final Speaker speaker : new ArrayList<>(announced.keySet())) {
                if (speaker.service().equals(service)) {
                    reconcile(speaker, why, false);
                }
            }
        }
    }

    /**
     * Takes over a speaker announced before this collector started, without publishing: its evidence and what it
     * announced. Its Service is not live until its UPSERT is seen again.
     */
    void restore(final Speaker speaker, final String claimId, final Claim claim) {
        claims.computeIfAbsent(speaker.service(), s -> new LinkedHashMap<>())
                .computeIfAbsent(speaker, s -> new LinkedHashMap<>())
                .put(claimId, claim);
        announced.put(speaker, claim.interfaces());
    }

    /** Withdraws every announced speaker that has no evidence left or whose Service is not live. */
    void settle(final Evidence why) {
        for (final Speaker speaker : new ArrayList<>(announced.keySet())) {
            reconcile(speaker, new Evidence(why.kind(), why.ref().isEmpty() ? speaker.service() : why.ref(),
                    why.detail()), false);
        }
    }

    boolean isAnnounced(final Speaker speaker) {
        return announced.containsKey(speaker);
    }

    private List<Speaker> speakersOf(final String service) {
        final Map<Speaker, Map<String, Claim>> forService = claims.get(service);
        return forService == null ? List.of() : new ArrayList<>(forService.keySet());
    }

    /**
     * Publishes the speaker's change, if any. {@code trigger} is the evidence that caused it; {@code claimed}: the
     * trigger is a claim the speaker now holds (else it is why something was withdrawn).
     */
    private void reconcile(final Speaker speaker, final Evidence trigger, final boolean claimed) {
        final Map<Speaker, Map<String, Claim>> forService = claims.get(speaker.service());
        final Map<String, Claim> evidence = forService == null ? null : forService.get(speaker);
        final boolean shouldAnnounce = evidence != null && !evidence.isEmpty()
                && liveServices.contains(speaker.service());
        final List<String> before = announced.get(speaker);
        if (shouldAnnounce) {
            final TreeSet<String> interfaces = new TreeSet<>();
            evidence.values().forEach(c -> interfaces.addAll(c.interfaces()));
            final List<String> now = List.copyOf(interfaces);
            if (!now.equals(before)) {
                announced.put(speaker, now);
                final Evidence why = claimed ? trigger : evidence.values().iterator().next().evidence();
                publish(Op.ANNOUNCE, speaker, now, why);
            }
        } else if (before != null) {
            announced.remove(speaker);
            publish(Op.WITHDRAW, speaker, before, trigger);
        }
    }

    private void publish(final Op op, final Speaker speaker, final List<String> interfaces, final Evidence why) {
        final int slash = speaker.service().indexOf('/');
        sink.publish(new AnnouncementChange(provenance.cluster(), provenance.now(), provenance.source(),
                provenance.newEventId(), op, speaker.service().substring(0, slash),
                speaker.service().substring(slash + 1), speaker.announcer(), speaker.node(), null, interfaces, why));
    }
}
