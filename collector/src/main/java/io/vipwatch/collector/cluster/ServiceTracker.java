package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.vipwatch.collector.cluster.AnnouncementLedger.Claim;
import io.vipwatch.collector.cluster.AnnouncementLedger.Speaker;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.Ips;
import io.vipwatch.schemas.event.AnnouncementChange.Announcer;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * Services of type LoadBalancer to {@link ServiceChange}s: UPSERT when a field vipwatch carries changes, DELETE
 * when the Service is deleted or stops being a LoadBalancer, both when it is replaced by one of the same name and
 * another uid (deleted and re-created while a relist was under way). Resyncs, relists and changes to other fields
 * (labels, ports, resourceVersion) publish nothing. The {@code kube-vip.io/vipHost} annotation is kube-vip's
 * word for which node serves the Service, so it also feeds the {@link AnnouncementLedger}.
 */
final class ServiceTracker {

    static final String LOAD_BALANCER = "LoadBalancer";
    static final String VIP_HOST = "kube-vip.io/vipHost";
    /** Annotations that request IPs, each a comma-separated list. */
    static final List<String> IP_ANNOTATIONS = List.of("metallb.io/loadBalancerIPs",
            "metallb.universe.tf/loadBalancerIPs", "kube-vip.io/loadbalancerIPs");

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTracker.class);

    /** The fields of a LoadBalancer Service that vipwatch carries. */
    record ServiceView(String uid, String type, String loadBalancerClass, List<String> ingressIps,
            List<String> requestedIps, String externalTrafficPolicy, Map<String, String> annotations) {
    }

    private final Provenance provenance;
    private final EventSink sink;
    private final AnnouncementLedger ledger;
    private final Consumer<String> onGone;

    // service ns/name -> view last published as UPSERT; absent when not a published LoadBalancer Service
    private final Map<String, ServiceView> published = new HashMap<>();
    // service ns/name -> node named by its vipHost annotation, as claimed in the ledger
    private final Map<String, String> vipHosts = new HashMap<>();

    /** @param onGone told the ns/name of a published LoadBalancer Service that is gone, after its DELETE */
    ServiceTracker(final Provenance provenance, final EventSink sink, final AnnouncementLedger ledger,
            final Consumer<String> onGone) {
        this.provenance = provenance;
        this.sink = sink;
        this.ledger = ledger;
        this.onGone = onGone;
    }

    /** @return true when the Service stopped being a published LoadBalancer Service */
    boolean upsert(final Service service) {
        final String key = Meta.key(service);
        if (!LOAD_BALANCER.equals(service.getSpec() == null ? null : service.getSpec().getType())) {
            return gone(service, "no longer type LoadBalancer");
        }
        final List<String> problems = new ArrayList<>();
        final ServiceView view = view(service, problems);
        ServiceView before = published.get(key);
        if (before != null && !Objects.equals(before.uid(), view.uid())) {
            gone(service, "replaced by uid " + view.uid());
            before = null;
        }
        if (!view.equals(before)) {
            problems.forEach(problem -> LOG.warn("Service {}: {} (the value is left out)", key, problem));
            published.put(key, view);
            sink.publish(event(ServiceChange.Op.UPSERT, service, view));
        }
        updateVipHost(key, view.annotations().get(VIP_HOST));
        if (before == null) {
            ledger.serviceAppeared(key);
        }
        return false;
    }

    /** @return true when the Service was a published LoadBalancer Service */
    boolean delete(final Service service) {
        return gone(service, "deleted");
    }

    /** The uid of a published LoadBalancer Service, or null. */
    String uidOf(final String key) {
        final ServiceView view = published.get(key);
        return view == null ? null : view.uid();
    }

    private boolean gone(final Service service, final String reason) {
        final String key = Meta.key(service);
        final ServiceView before = published.remove(key);
        if (before == null) {
            return false;
        }
        sink.publish(event(ServiceChange.Op.DELETE, service, before));
        ledger.serviceGone(key, new Evidence("OTHER", key, "Service " + reason));
        updateVipHost(key, null);
        onGone.accept(key);
        return true;
    }

    private void updateVipHost(final String key, final String host) {
        final String node = Meta.isBlank(host) ? null : host.trim();
        final String before = vipHosts.get(key);
        if (Objects.equals(before, node)) {
            return;
        }
        final String claimId = "ANNOTATION " + key;
        if (before != null) {
            vipHosts.remove(key);
            ledger.release(new Speaker(key, Announcer.KUBE_VIP, before), claimId,
                    new Evidence("ANNOTATION", key, node == null ? VIP_HOST + " removed" : VIP_HOST + "=" + node));
        }
        if (node != null) {
            vipHosts.put(key, node);
            ledger.claim(new Speaker(key, Announcer.KUBE_VIP, node), claimId,
                    new Claim(new Evidence("ANNOTATION", key, VIP_HOST + "=" + node), List.of()));
        }
    }

    private ServiceChange event(final ServiceChange.Op op, final Service service, final ServiceView view) {
        return new ServiceChange(provenance.cluster(), provenance.now(), provenance.source(), provenance.newEventId(),
                op, service.getMetadata().getNamespace(), service.getMetadata().getName(), view.uid(),
                service.getMetadata().getResourceVersion(), view.type(), view.loadBalancerClass(), view.ingressIps(),
                view.requestedIps(), view.externalTrafficPolicy(), view.annotations());
    }

    static ServiceView view(final Service service, final List<String> problems) {
        final Map<String, String> annotations = relevantAnnotations(Meta.annotations(service));
        final List<String> ingress = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            int index = 0;
            for (final LoadBalancerIngress entry : service.getStatus().getLoadBalancer().getIngress()) {
                final String where = "status.loadBalancer.ingress[" + index++ + "].ip";
                if (!Meta.isBlank(entry.getIp())) {
                    addIp(ingress, entry.getIp(), where, problems);
                }
            }
        }
        final Set<String> requested = new LinkedHashSet<>();
        final String specIp = service.getSpec().getLoadBalancerIP();
        if (!Meta.isBlank(specIp)) {
            addIp(requested, specIp, "spec.loadBalancerIP", problems);
        }
        for (final String annotation : IP_ANNOTATIONS) {
            final String value = annotations.get(annotation);
            if (!Meta.isBlank(value)) {
                for (final String part : value.split(",")) {
                    if (!part.isBlank()) {
                        addIp(requested, part, "annotation " + annotation, problems);
                    }
                }
            }
        }
        return new ServiceView(service.getMetadata().getUid(), service.getSpec().getType(),
                service.getSpec().getLoadBalancerClass(), List.copyOf(ingress), List.copyOf(requested),
                service.getSpec().getExternalTrafficPolicy(), annotations);
    }

    /** Only {@code metallb.*} and {@code kube-vip.io/*} annotations, sorted. */
    static Map<String, String> relevantAnnotations(final Map<String, String> all) {
        final Map<String, String> relevant = new TreeMap<>();
        all.forEach((name, value) -> {
            if (name.startsWith("metallb.") || name.startsWith("kube-vip.io/")) {
                relevant.put(name, value == null ? "" : value);
            }
        });
        return Map.copyOf(relevant);
    }

    private static void addIp(final Collection<String> into, final String text, final String where,
            final List<String> problems) {
        try {
            final String ip = Ips.canonical(text.trim());
            if (!into.contains(ip)) {
                into.add(ip);
            }
        } catch (final IllegalArgumentException e) {
            problems.add(where + ": '" + text.trim() + "' is not an IP: " + e.getMessage());
        }
    }
}
