package io.vipwatch.collector.cluster;

import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.vipwatch.schemas.event.NodeFacts.KubeVip;

/**
 * Recognizes kube-vip pods (static mirror pods from {@code /etc/kubernetes/manifests} and DaemonSet pods) and
 * reads the env that decides whether kube-vip binds LoadBalancer VIPs on its node.
 */
final class KubeVipPods {

    /** A pod's kube-vip facts, or why the pod gives none. */
    record Reading(KubeVip facts, String node, String skipReason) {
    }

    private KubeVipPods() {
    }

    /**
     * @return the facts and node of a running kube-vip pod, or a reading with a skip reason (not kube-vip, not
     *         scheduled, finished)
     */
    static Reading read(final Pod pod) {
        final Container container = kubeVipContainer(pod);
        if (container == null) {
            return new Reading(null, null, "notKubeVip");
        }
        final String node = pod.getSpec().getNodeName();
        if (Meta.isBlank(node)) {
            return new Reading(null, null, "notScheduled");
        }
        final String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return new Reading(null, node, "finished");
        }
        final Boolean svcEnable = parseBool(env(container, "svc_enable"));
        final KubeVip facts = new KubeVip(Boolean.TRUE.equals(svcEnable), parseBool(env(container, "cp_enable")),
                blankToNull(env(container, "vip_interface")), parseBool(env(container, "vip_arp")), Meta.key(pod),
                container.getImage());
        return new Reading(facts, node, null);
    }

    /**
     * The kube-vip container: its image is {@code .../kube-vip[:tag]} (not the cloud provider), or it carries
     * kube-vip's own env ({@code svc_enable}, {@code cp_enable}) under another image name (a mirror registry).
     */
    static Container kubeVipContainer(final Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        for (final Container container : pod.getSpec().getContainers()) {
            if ("kube-vip".equals(imageName(container.getImage()))) {
                return container;
            }
        }
        for (final Container container : pod.getSpec().getContainers()) {
            if (env(container, "svc_enable") != null || env(container, "cp_enable") != null) {
                return container;
            }
        }
        return null;
    }

    /** {@code ghcr.io/kube-vip/kube-vip:v0.4.0@sha256:...} -> {@code kube-vip}. */
    static String imageName(final String image) {
        if (image == null) {
            return null;
        }
        String name = image;
        final int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        final int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        final int colon = name.indexOf(':');
        return colon >= 0 ? name.substring(0, colon) : name;
    }

    /** A literal env value; null when absent or set from a ConfigMap, Secret or field. */
    static String env(final Container container, final String name) {
        final List<EnvVar> env = container.getEnv();
        if (env == null) {
            return null;
        }
        for (final EnvVar var : env) {
            if (name.equalsIgnoreCase(var.getName())) {
                return var.getValue();
            }
        }
        return null;
    }

    /** Go's strconv.ParseBool, which kube-vip uses: null for absent or unparseable values. */
    static Boolean parseBool(final String value) {
        if (value == null) {
            return null;
        }
        switch (value.trim()) {
            case "1", "t", "T", "TRUE", "true", "True":
                return Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    private static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
