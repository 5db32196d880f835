package io.vipwatch.collector.cluster;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.vipwatch.collector.cluster.AnnouncementLedger.Claim;
import io.vipwatch.collector.cluster.AnnouncementLedger.Speaker;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;

/**
 * The fallback for MetalLB versions without ServiceL2Status / ServiceBGPStatus: the speaker's {@code nodeAssigned}
 * Events on a Service, {@code announcing from node "n1" with protocol "layer2"} (older speakers leave out the
 * protocol: read as layer 2).
 *
 * <p>Events say when a node starts announcing, never when it stops. In layer 2 one node announces a Service, so
 * the newest Event names it and a newer Event for another node withdraws the previous one; the Event recorder
 * bumps {@code count} and {@code lastTimestamp} of an existing Event when the same node announces again (a
 * failback), so updates count as new evidence. In BGP every eligible node announces, so each node's Event adds
 * one. An Event expiring (deleted by its TTL) withdraws nothing; the Service's deletion withdraws everything.
 */
final class SpeakerEventTracker {

    static final String REASON = "nodeAssigned";
    static final Pattern MESSAGE = Pattern.compile("announcing from node \"([^\"]+)\"(?: with protocol \"([^\"]+)\")?");

    /** The newest layer 2 Event of a Service. */
    private record Latest(String node, long seenAt, String eventKey) {
    }

    private final AnnouncementLedger ledger;
    private final boolean layer2;
    private final boolean bgp;
    private final Function<String, String> serviceUid;

    // service ns/name -> its newest layer 2 nodeAssigned Event; node is null once the Service is gone
    private final Map<String, Latest> layer2Latest = new HashMap<>();
    // service ns/name -> node -> Event ns/name that claims BGP announcing from it
    private final Map<String, Map<String, String>> bgpNodes = new HashMap<>();

    /**
     * @param layer2 read layer 2 announcements from Events (ServiceL2Status is not served)
     * @param bgp read BGP announcements from Events (ServiceBGPStatus is not served)
     * @param serviceUid uid of a known LoadBalancer Service by ns/name, null if unknown: Events about an earlier
     *        Service of the same name are ignored
     */
    SpeakerEventTracker(final AnnouncementLedger ledger, final boolean layer2, final boolean bgp,
            final Function<String, String> serviceUid) {
        this.ledger = ledger;
        this.layer2 = layer2;
        this.bgp = bgp;
        this.serviceUid = serviceUid;
    }

    void upsert(final Event event) {
        final ObjectReference involved = event.getInvolvedObject();
        if (!REASON.equals(event.getReason()) || involved == null || !"Service".equals(involved.getKind())
                || event.getMessage() == null) {
            return;
        }
        final Matcher matcher = MESSAGE.matcher(event.getMessage());
        if (!matcher.find()) {
            return;
        }
        final String node = matcher.group(1);
        final boolean isBgp = "bgp".equalsIgnoreCase(matcher.group(2));
        final String namespace = involved.getNamespace() != null ? involved.getNamespace()
                : event.getMetadata().getNamespace();
        final String service = namespace + "/" + involved.getName();
        final String uid = serviceUid.apply(service);
        if (uid != null && involved.getUid() != null && !uid.equals(involved.getUid())) {
            return;
        }
        final String eventKey = Meta.key(event);
        final Evidence evidence = new Evidence("EVENT", eventKey, event.getMessage()
                + (event.getCount() == null ? "" : " (count " + event.getCount() + ")"));
        if (isBgp) {
            if (bgp) {
                bgpNodes.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(node, eventKey);
                ledger.claim(new Speaker(service, Announcer.METALLB_BGP, node), "EVENT " + service + " " + node,
                        new Claim(evidence, List.of()));
            }
            return;
        }
        if (!layer2) {
            return;
        }
        final long seenAt = lastSeen(event);
        final Latest before = layer2Latest.get(service);
        if (before != null && node.equals(before.node())) {
            if (seenAt > before.seenAt()) {
                layer2Latest.put(service, new Latest(node, seenAt, eventKey));
            }
            return;
        }
        if (before != null && seenAt <= before.seenAt()) {
            // an older Event re-delivered by a relist or resync; Event times have one-second resolution, so of two
            // Events in the same second the one seen first stays
            return;
        }
        final String claimId = "EVENT " + service;
        if (before != null && before.node() != null) {
            ledger.release(new Speaker(service, Announcer.METALLB_L2, before.node()), claimId, evidence);
        }
        layer2Latest.put(service, new Latest(node, seenAt, eventKey));
        ledger.claim(new Speaker(service, Announcer.METALLB_L2, node), claimId, new Claim(evidence, List.of()));
    }

    /**
     * The Service is gone: drop the claims its Events made, keeping the time of the newest one so a resync of
     * those old Events cannot announce them again for a new Service of the same name.
     */
    void serviceGone(final String service) {
        final Evidence why = new Evidence("OTHER", service, "Service gone");
        final Latest latest = layer2Latest.get(service);
        if (latest != null && latest.node() != null) {
            ledger.release(new Speaker(service, Announcer.METALLB_L2, latest.node()), "EVENT " + service, why);
            layer2Latest.put(service, new Latest(null, latest.seenAt(), latest.eventKey()));
        }
        final Map<String, String> nodes = bgpNodes.remove(service);
        if (nodes != null) {
            nodes.keySet().forEach(node -> ledger.release(new Speaker(service, Announcer.METALLB_BGP, node),
                    "EVENT " + service + " " + node, why));
        }
    }

    /**
     * Takes over an announcement this collector made from an Event before it (re)started: the Event may have expired
     * since, which withdraws nothing. Its time is unknown, so any Event listed for the Service counts as newer.
     *
     * @return false where Events are not read for its announcer
     */
    boolean restore(final AnnouncementChange announced) {
        final String service = announced.service();
        final Speaker speaker = new Speaker(service, announced.announcer(), announced.node());
        final Claim claim = new Claim(announced.evidence(), announced.interfaces());
        if (announced.announcer() == Announcer.METALLB_L2 && layer2) {
            layer2Latest.put(service, new Latest(announced.node(), Long.MIN_VALUE, announced.evidence().ref()));
            ledger.restore(speaker, "EVENT " + service, claim);
            return true;
        }
        if (announced.announcer() == Announcer.METALLB_BGP && bgp) {
            bgpNodes.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(announced.node(),
                    announced.evidence().ref());
            ledger.restore(speaker, "EVENT " + service + " " + announced.node(), claim);
            return true;
        }
        return false;
    }

    /**
     * When the Event was last seen, in epoch millis: the newest of {@code lastTimestamp}, {@code eventTime} and
     * {@code series.lastObservedTime}; where none is set, {@code firstTimestamp}, else the object's creation.
     */
    static long lastSeen(final Event event) {
        long newest = millis(event.getLastTimestamp());
        if (event.getEventTime() != null) {
            newest = Math.max(newest, millis(event.getEventTime().getTime()));
        }
        if (event.getSeries() != null && event.getSeries().getLastObservedTime() != null) {
            newest = Math.max(newest, millis(event.getSeries().getLastObservedTime().getTime()));
        }
        if (newest == Long.MIN_VALUE) {
            newest = millis(event.getFirstTimestamp());
        }
        return newest != Long.MIN_VALUE ? newest : millis(event.getMetadata().getCreationTimestamp());
    }

    private static long millis(final String time) {
        if (time == null || time.isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            return OffsetDateTime.parse(time).toInstant().toEpochMilli();
        } catch (final DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
