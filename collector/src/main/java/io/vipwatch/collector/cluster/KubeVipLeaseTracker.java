package io.vipwatch.collector.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vipwatch.collector.cluster.AnnouncementLedger.Claim;
import io.vipwatch.collector.cluster.AnnouncementLedger.Speaker;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;

/**
 * kube-vip's per-Service leader election ({@code svc_election}): a Lease {@code kubevip-<service>} in the Service's
 * namespace whose {@code holderIdentity} is the node that binds and announces the VIP. A new holder withdraws the
 * old one; an empty holder (released on shutdown) or a deleted Lease withdraws it. Other Leases (node heartbeats,
 * kube-vip's {@code plndr-*} locks) are ignored. Renewals change only {@code renewTime} and publish nothing.
 */
final class KubeVipLeaseTracker {

    static final String PREFIX = "kubevip-";

    private final AnnouncementLedger ledger;

    // lease ns/name -> the speaker its holder claims
    private final Map<String, Speaker> claimed = new HashMap<>();

    KubeVipLeaseTracker(final AnnouncementLedger ledger) {
        this.ledger = ledger;
    }

    static boolean isServiceLease(final Lease lease) {
        final String name = lease.getMetadata().getName();
        return name != null && name.startsWith(PREFIX) && name.length() > PREFIX.length();
    }

    void upsert(final Lease lease) {
        if (!isServiceLease(lease)) {
            return;
        }
        final String key = Meta.key(lease);
        final String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        final Speaker before = claimed.get(key);
        if (Meta.isBlank(holder)) {
            release(key, before, "holderIdentity empty");
            return;
        }
        final String service = lease.getMetadata().getNamespace() + "/"
                + lease.getMetadata().getName().substring(PREFIX.length());
        final Speaker speaker = new Speaker(service, Announcer.KUBE_VIP, holder.trim());
        if (speaker.equals(before)) {
            return;
        }
        final Evidence evidence = new Evidence("LEASE", key, "holderIdentity=" + speaker.node());
        release(key, before, "holderIdentity=" + speaker.node());
        claimed.put(key, speaker);
        ledger.claim(speaker, "LEASE " + key, new Claim(evidence, List.of()));
    }

    void delete(final Lease lease) {
        if (isServiceLease(lease)) {
            final String key = Meta.key(lease);
            release(key, claimed.get(key), "Lease deleted");
        }
    }

    private void release(final String key, final Speaker before, final String why) {
        if (before != null) {
            claimed.remove(key);
            ledger.release(before, "LEASE " + key, new Evidence("LEASE", key, why));
        }
    }
}
