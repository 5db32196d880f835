package io.vipwatch.collector.publish;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * What the API collector has published and not taken back: per published object, its last event — the UPSERT of
 * every LoadBalancer Service, the ANNOUNCE of every speaker, the NodeFacts of every node. A DELETE, a WITHDRAW or a
 * node tombstone removes the object. This is the collector's memory across restarts ({@link PublicationMemory}) and
 * what a (re)list is compared with. Not thread-safe.
 *
 * <p>Identities: {@code service/<namespace>/<name>}, {@code announcement/<namespace>/<name>/<announcer>/<node>},
 * {@code node/<name>} (Kubernetes names hold no {@code /}).
 */
public final class PublishedState {

    public static final String SERVICE = "service/";
    public static final String ANNOUNCEMENT = "announcement/";
    public static final String NODE = "node/";

    // identity -> last event published for it (UPSERT, ANNOUNCE, NodeFacts), in the order first published
    private final Map<String, InputEvent> live = new LinkedHashMap<>();

    /** The identity of the object an event is about, or null for events that are no object's state (heartbeats). */
    public static String identity(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            return SERVICE + e.namespace() + "/" + e.name();
        } else if (event instanceof AnnouncementChange e) {
            return announcementsOf(e.namespace() + "/" + e.name()) + e.announcer() + "/" + e.node();
        } else if (event instanceof NodeFacts e) {
            return NODE + e.node();
        }
        return null;
    }

    /** The prefix of the identities of a Service's speakers. */
    public static String announcementsOf(final String service) {
        return ANNOUNCEMENT + service + "/";
    }

    /** True for an event that takes an object back: DELETE, WITHDRAW, a deleted node. */
    public static boolean isDeletion(final InputEvent event) {
        if (event instanceof ServiceChange service) {
            return service.op() == ServiceChange.Op.DELETE;
        } else if (event instanceof AnnouncementChange announcement) {
            return announcement.op() == AnnouncementChange.Op.WITHDRAW;
        }
        return event instanceof NodeFacts node && node.deleted();
    }

    /** Folds one published event in. @throws IllegalArgumentException for an event that is no object's state */
    public void apply(final InputEvent event) {
        final String identity = identity(event);
        if (identity == null) {
            throw new IllegalArgumentException("not an object's state: " + event.type());
        }
        if (isDeletion(event)) {
            live.remove(identity);
        } else {
            live.put(identity, event);
        }
    }

    /** The node's tombstone was published. */
    public void removeNode(final String node) {
        live.remove(NODE + node);
    }

    public InputEvent get(final String identity) {
        return live.get(identity);
    }

    public boolean contains(final String identity) {
        return live.containsKey(identity);
    }

    public InputEvent remove(final String identity) {
        return live.remove(identity);
    }

    /** identity -> event, unmodifiable, in the order first published. */
    public Map<String, InputEvent> entries() {
        return Collections.unmodifiableMap(live);
    }

    public int size() {
        return live.size();
    }

    /**
     * Whether two events say the same about their object, as the trackers decide what to publish: a Service's carried
     * fields (not its resourceVersion), a speaker's interfaces, a node's facts. Time, id, source and evidence aside.
     */
    public static boolean sameFacts(final InputEvent a, final InputEvent b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof ServiceChange x && b instanceof ServiceChange y) {
            return x.op() == y.op() && x.namespace().equals(y.namespace()) && x.name().equals(y.name())
                    && Objects.equals(x.uid(), y.uid()) && Objects.equals(x.serviceType(), y.serviceType())
                    && Objects.equals(x.loadBalancerClass(), y.loadBalancerClass())
                    && x.ingressIps().equals(y.ingressIps()) && x.requestedIps().equals(y.requestedIps())
                    && Objects.equals(x.externalTrafficPolicy(), y.externalTrafficPolicy())
                    && x.annotations().equals(y.annotations());
        }
        if (a instanceof AnnouncementChange x && b instanceof AnnouncementChange y) {
            return x.op() == y.op() && identity(x).equals(identity(y)) && Objects.equals(x.vip(), y.vip())
                    && x.interfaces().equals(y.interfaces());
        }
        if (a instanceof NodeFacts x && b instanceof NodeFacts y) {
            return x.node().equals(y.node()) && x.roles().equals(y.roles())
                    && x.excludedFromLoadBalancers() == y.excludedFromLoadBalancers()
                    && Objects.equals(x.speakerEligible(), y.speakerEligible())
                    && x.networkUnavailable() == y.networkUnavailable() && Objects.equals(x.kubeVip(), y.kubeVip())
                    && x.deleted() == y.deleted();
        }
        return false;
    }

    /** The event as observed at another time (same id): what a (re)list publishes when it is decided. */
    public static InputEvent observedAt(final InputEvent event, final long at) {
        if (event instanceof ServiceChange e) {
            return new ServiceChange(e.cluster(), at, e.source(), e.eventId(), e.op(), e.namespace(), e.name(), e.uid(),
                    e.resourceVersion(), e.serviceType(), e.loadBalancerClass(), e.ingressIps(), e.requestedIps(),
                    e.externalTrafficPolicy(), e.annotations());
        } else if (event instanceof AnnouncementChange e) {
            return new AnnouncementChange(e.cluster(), at, e.source(), e.eventId(), e.op(), e.namespace(), e.name(),
                    e.announcer(), e.node(), e.vip(), e.interfaces(), e.evidence());
        } else if (event instanceof NodeFacts e) {
            return new NodeFacts(e.cluster(), at, e.source(), e.eventId(), e.node(), e.roles(),
                    e.excludedFromLoadBalancers(), e.speakerEligible(), e.networkUnavailable(), e.kubeVip(),
                    e.deleted());
        }
        throw new IllegalArgumentException("not an object's state: " + event.type());
    }
}
