package io.vipwatch.collector.cluster;

import java.util.Set;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.InputEvent;

/**
 * What the API server says, projected onto vipwatch's input events: every {@link ObjectChange} goes to the tracker
 * of its resource, which publishes only what changed. Not thread-safe: one thread applies all changes, in the
 * order the informers delivered them.
 */
final class ClusterProjector {

    private final AnnouncementLedger ledger;
    private final ServiceTracker services;
    private final MetalLbStatusTracker l2Statuses;
    private final MetalLbStatusTracker bgpStatuses;
    private final SpeakerEventTracker speakerEvents;
    private final KubeVipLeaseTracker leases;
    private final NodeTracker nodes;

    /**
     * @param eventFallbacks which announcement resources are not served, so their announcements are read from the
     *        speaker's Events instead ({@link WatchedResource#SERVICE_L2_STATUSES} and/or
     *        {@link WatchedResource#SERVICE_BGP_STATUSES})
     */
    ClusterProjector(final Provenance provenance, final EventSink sink, final Set<WatchedResource> eventFallbacks) {
        this.ledger = new AnnouncementLedger(provenance, sink);
        this.services = new ServiceTracker(provenance, sink, ledger, this::serviceGone);
        this.l2Statuses = new MetalLbStatusTracker(WatchedResource.SERVICE_L2_STATUSES, ledger);
        this.bgpStatuses = new MetalLbStatusTracker(WatchedResource.SERVICE_BGP_STATUSES, ledger);
        this.speakerEvents = new SpeakerEventTracker(ledger,
                eventFallbacks.contains(WatchedResource.SERVICE_L2_STATUSES),
                eventFallbacks.contains(WatchedResource.SERVICE_BGP_STATUSES), services::uidOf);
        this.leases = new KubeVipLeaseTracker(ledger);
        this.nodes = new NodeTracker(provenance, sink);
    }

    void apply(final ObjectChange change) {
        final boolean upsert = change.op() == ObjectChange.Op.UPSERT;
        switch (change.resource()) {
            case SERVICES -> {
                final Service service = (Service) change.object();
                if (upsert) {
                    services.upsert(service);
                } else {
                    services.delete(service);
                }
            }
            case SERVICE_L2_STATUSES -> metallb(l2Statuses, change, upsert);
            case SERVICE_BGP_STATUSES -> metallb(bgpStatuses, change, upsert);
            case EVENTS -> {
                if (upsert) {
                    speakerEvents.upsert((Event) change.object());
                }
            }
            case LEASES -> {
                if (upsert) {
                    leases.upsert((Lease) change.object());
                } else {
                    leases.delete((Lease) change.object());
                }
            }
            case NODES -> {
                if (upsert) {
                    nodes.upsertNode((Node) change.object());
                } else {
                    nodes.deleteNode((Node) change.object());
                }
            }
            case PODS -> {
                if (upsert) {
                    nodes.upsertPod((Pod) change.object());
                } else {
                    nodes.deletePod((Pod) change.object());
                }
            }
        }
    }

    /**
     * Takes over a remembered announcement that no object will confirm on a (re)list: one read from the speaker's
     * Events, which expire while the speaker keeps announcing. Its Service's deletion, or a newer Event naming
     * another node, withdraws it later as if this collector had seen it.
     *
     * @return true when taken over (the caller must count it as decided), false for anything a (re)list confirms
     */
    boolean restore(final InputEvent remembered) {
        return remembered instanceof AnnouncementChange announcement && announcement.evidence() != null
                && "EVENT".equals(announcement.evidence().kind()) && speakerEvents.restore(announcement);
    }

    /** A (re)list is complete: speakers left without evidence or Service are withdrawn. */
    void endListing() {
        ledger.settle(new Evidence("OTHER", "", "no evidence left after the relist"));
    }

    private void serviceGone(final String service) {
        speakerEvents.serviceGone(service);
    }

    private static void metallb(final MetalLbStatusTracker tracker, final ObjectChange change, final boolean upsert) {
        final GenericKubernetesResource status = (GenericKubernetesResource) change.object();
        if (upsert) {
            tracker.upsert(status);
        } else {
            tracker.delete(status);
        }
    }
}
