package io.vipwatch.collector.cluster;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.NodeFacts.KubeVip;

/**
 * Nodes and kube-vip pods to {@link NodeFacts}s (one per node, published when a carried fact changes), and a
 * deleted Node to tombstones on the node topics.
 */
final class NodeTracker {

    static final String ROLE_PREFIX = "node-role.kubernetes.io/";
    static final String LEGACY_ROLE = "kubernetes.io/role";
    static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

    /** The facts of a Node object itself. */
    record NodeBasics(List<String> roles, boolean excluded, boolean networkUnavailable) {
    }

    /** Everything a NodeFacts event carries. */
    record NodeView(NodeBasics basics, KubeVip kubeVip) {
    }

    private final Provenance provenance;
    private final EventSink sink;

    // node name -> facts of the Node object; absent when the Node is not known (yet) or deleted
    private final Map<String, NodeBasics> nodes = new HashMap<>();
    // node name -> view last published
    private final Map<String, NodeView> published = new HashMap<>();
    // node name -> kube-vip pod ns/name -> that pod's kube-vip facts
    private final Map<String, Map<String, KubeVip>> kubeVipPods = new HashMap<>();
    // kube-vip pod ns/name -> node it runs on
    private final Map<String, String> podNodes = new HashMap<>();

    NodeTracker(final Provenance provenance, final EventSink sink) {
        this.provenance = provenance;
        this.sink = sink;
    }

    void upsertNode(final Node node) {
        final String name = node.getMetadata().getName();
        nodes.put(name, basics(node));
        publishIfChanged(name);
    }

    void deleteNode(final Node node) {
        final String name = node.getMetadata().getName();
        final boolean known = nodes.remove(name) != null;
        final boolean wasPublished = published.remove(name) != null;
        if (known || wasPublished) {
            sink.nodeDeleted(provenance.cluster(), name, provenance.now(), provenance.source());
        }
    }

    void upsertPod(final Pod pod) {
        final String key = Meta.key(pod);
        final KubeVipPods.Reading reading = KubeVipPods.read(pod);
        final String before = podNodes.get(key);
        if (before != null && (reading.facts() == null || !before.equals(reading.node()))) {
            removePod(key, before);
        }
        if (reading.facts() != null) {
            podNodes.put(key, reading.node());
            kubeVipPods.computeIfAbsent(reading.node(), n -> new TreeMap<>()).put(key, reading.facts());
            publishIfChanged(reading.node());
        }
    }

    void deletePod(final Pod pod) {
        final String key = Meta.key(pod);
        final String node = podNodes.get(key);
        if (node != null) {
            removePod(key, node);
        }
    }

    private void removePod(final String key, final String node) {
        podNodes.remove(key);
        final Map<String, KubeVip> pods = kubeVipPods.get(node);
        if (pods != null) {
            pods.remove(key);
            if (pods.isEmpty()) {
                kubeVipPods.remove(node);
            }
        }
        publishIfChanged(node);
    }

    private void publishIfChanged(final String name) {
        final NodeBasics basics = nodes.get(name);
        if (basics == null) {
            return; // facts of kube-vip pods wait for their Node
        }
        final NodeView view = new NodeView(basics, kubeVipOf(name));
        if (!Objects.equals(view, published.get(name))) {
            published.put(name, view);
            sink.publish(new NodeFacts(provenance.cluster(), provenance.now(), provenance.source(),
                    provenance.newEventId(), name, basics.roles(), basics.excluded(), null, basics.networkUnavailable(),
                    view.kubeVip(), false));
        }
    }

    /** Of several kube-vip pods on one node (a static pod and a DaemonSet), the one serving Services wins. */
    private KubeVip kubeVipOf(final String node) {
        final Map<String, KubeVip> pods = kubeVipPods.get(node);
        if (pods == null || pods.isEmpty()) {
            return null;
        }
        return pods.values().stream().max(Comparator.comparing(KubeVip::svcEnable)).orElseThrow();
    }

    static NodeBasics basics(final Node node) {
        final Map<String, String> labels = Meta.labels(node);
        final TreeSet<String> roles = new TreeSet<>();
        labels.forEach((label, value) -> {
            if (label.startsWith(ROLE_PREFIX) && label.length() > ROLE_PREFIX.length()) {
                roles.add(label.substring(ROLE_PREFIX.length()));
            }
        });
        final String legacy = labels.get(LEGACY_ROLE);
        if (!Meta.isBlank(legacy)) {
            roles.add(legacy.trim());
        }
        boolean networkUnavailable = false;
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (final NodeCondition condition : node.getStatus().getConditions()) {
                if ("NetworkUnavailable".equals(condition.getType()) && "True".equals(condition.getStatus())) {
                    networkUnavailable = true;
                }
            }
        }
        return new NodeBasics(List.copyOf(roles), labels.containsKey(EXCLUDE_LABEL), networkUnavailable);
    }
}
