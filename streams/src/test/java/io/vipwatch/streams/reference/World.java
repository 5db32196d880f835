package io.vipwatch.streams.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * What one cluster's inputs say at a moment, object by object, as docs/detection.md ("The model") reads them:
 * the Services as last upserted, the announcements made for each Service, each node's latest address snapshot
 * and facts. Nothing here is per VIP: {@link #vip} derives a VIP's claims, announcements, bindings and
 * responders from scratch every time it is asked.
 */
final class World {

    static final String L2 = "METALLB_L2";
    static final String BGP = "METALLB_BGP";
    static final String KUBE_VIP = "KUBE_VIP";

    /** A Service that exists: its ingress IPs and controller signs; since: IP -> when its claim of the IP began. */
    record Service(List<String> ingress, String pool, boolean kubeVipClass, boolean kubeVipAnnotated, String vipHost,
            Map<String, Long> since) {
    }

    /** An announcement made for a Service; vip null: "the Service's ingress IPs". */
    record Announcement(String announcer, String node, String vip) {
    }

    record Address(String iface, int prefix) {
    }

    record Facts(boolean excluded, Boolean speakerEligible, boolean kubeVip, boolean svcEnable, String pod) {
    }

    /** namespace/name -> the Service, while it exists. */
    final Map<String, Service> services = new TreeMap<>();
    /** namespace/name -> the announcements made for it, whether or not the Service exists. */
    final Map<String, Set<Announcement>> announcements = new TreeMap<>();
    /** node -> IP -> the first entry of the IP in the node's latest snapshot. */
    final Map<String, Map<String, Address>> addresses = new TreeMap<>();
    /** node -> its latest facts. */
    final Map<String, Facts> facts = new HashMap<>();

    void apply(final ServiceChange e, final long t) {
        if (e.op() == ServiceChange.Op.DELETE) {
            services.remove(e.service());
            return;
        }
        final Service old = services.get(e.service());
        final List<String> ingress = new ArrayList<>(new LinkedHashSet<>(e.ingressIps()));
        final Map<String, Long> since = new HashMap<>();
        for (final String ip : ingress) {
            since.put(ip, old != null && old.since().containsKey(ip) ? old.since().get(ip) : t);
        }
        String pool = e.annotations().get("metallb.io/ip-allocated-from-pool");
        if (pool == null) {
            pool = e.annotations().get("metallb.universe.tf/ip-allocated-from-pool");
        }
        boolean annotated = false;
        for (final String key : e.annotations().keySet()) {
            annotated |= key.startsWith("kube-vip.io/");
        }
        services.put(e.service(), new Service(ingress, pool, "kube-vip.io/kube-vip-class".equals(e.loadBalancerClass()),
                annotated, e.annotations().get("kube-vip.io/vipHost"), since));
    }

    void apply(final AnnouncementChange e) {
        final Set<Announcement> made = announcements.computeIfAbsent(e.service(), s -> new LinkedHashSet<>());
        final String announcer = e.announcer().name();
        if (e.op() == AnnouncementChange.Op.ANNOUNCE) {
            made.add(new Announcement(announcer, e.node(), e.vip()));
        } else {
            // a WITHDRAW naming no IP ends every announcement of that speaker on that node for the Service
            made.removeIf(a -> a.announcer().equals(announcer) && a.node().equals(e.node())
                    && (e.vip() == null || e.vip().equals(a.vip())));
        }
    }

    void apply(final NodeAddresses e) {
        final Map<String, Address> snapshot = new LinkedHashMap<>();
        for (final NodeAddresses.Address a : e.addresses()) {
            snapshot.putIfAbsent(a.ip(), new Address(a.iface(), a.prefixLength()));
        }
        addresses.put(e.node(), snapshot);
    }

    void apply(final NodeFacts e) {
        final NodeFacts.KubeVip kv = e.kubeVip();
        facts.put(e.node(), new Facts(e.excludedFromLoadBalancers(), e.speakerEligible(), kv != null,
                kv != null && kv.svcEnable(), kv == null ? null : kv.pod()));
    }

    /** A deleted node has no addresses and no facts. */
    void deleteNode(final String node) {
        addresses.remove(node);
        facts.remove(node);
    }

    /** The IPs that are VIPs by definition right now: claimed by a Service or named by an announcement. */
    Set<String> claimedOrNamed() {
        final Set<String> ips = new TreeSet<>();
        services.values().forEach(s -> ips.addAll(s.ingress()));
        announcements.values().forEach(set -> set.forEach(a -> {
            if (a.vip() != null) {
                ips.add(a.vip());
            }
        }));
        return ips;
    }

    boolean metallbSign(final String service) {
        final Service s = services.get(service);
        if (s != null && s.pool() != null) {
            return true;
        }
        for (final Announcement a : announcements.getOrDefault(service, Set.of())) {
            if (!a.announcer().equals(KUBE_VIP)) {
                return true;
            }
        }
        return false;
    }

    boolean kubeVipSign(final String service) {
        final Service s = services.get(service);
        if (s != null && (s.kubeVipClass() || s.kubeVipAnnotated())) {
            return true;
        }
        for (final Announcement a : announcements.getOrDefault(service, Set.of())) {
            if (a.announcer().equals(KUBE_VIP)) {
                return true;
            }
        }
        return false;
    }

    /** One announcement as it applies to one IP. */
    record VipAnnouncement(String node, String announcer, String service) {
    }

    /** Everything about one IP right now. */
    record Vip(String ip, List<String> claimants, List<VipAnnouncement> announcements, Map<String, Address> bindings,
            List<String> responders) {

        boolean empty() {
            return claimants.isEmpty() && announcements.isEmpty() && bindings.isEmpty();
        }
    }

    Vip vip(final String ip) {
        final List<String> claimants = new ArrayList<>();
        services.forEach((name, s) -> {
            if (s.ingress().contains(ip)) {
                claimants.add(name);
            }
        });
        final Set<VipAnnouncement> applying = new LinkedHashSet<>();
        announcements.forEach((name, made) -> {
            final Service s = services.get(name);
            for (final Announcement a : made) {
                if (ip.equals(a.vip()) || a.vip() == null && s != null && s.ingress().contains(ip)) {
                    applying.add(new VipAnnouncement(a.node(), a.announcer(), name));
                }
            }
        });
        final Map<String, Address> bindings = new TreeMap<>();
        addresses.forEach((node, snapshot) -> {
            if (snapshot.containsKey(ip)) {
                bindings.put(node, snapshot.get(ip));
            }
        });
        final TreeSet<String> responders = new TreeSet<>(bindings.keySet());
        for (final VipAnnouncement a : applying) {
            if (!a.announcer().equals(BGP)) {
                responders.add(a.node());
            }
        }
        return new Vip(ip, claimants, new ArrayList<>(applying), bindings, List.copyOf(responders));
    }

    Facts facts(final String node) {
        return facts.get(node);
    }
}
