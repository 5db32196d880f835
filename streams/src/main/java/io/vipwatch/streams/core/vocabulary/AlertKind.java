package io.vipwatch.streams.core.vocabulary;

/**
 * The conditions the core detects; each is a kind of alert (docs/detection.md, "The rules"). The declaration
 * order is the order in which a VIP's open conditions are listed; the state codec stores kinds by explicit
 * stable codes, never by this order.
 */
public enum AlertKind {
    FOREIGN_BINDING,
    DUPLICATE_RESPONDERS,
    EXCLUDED_NODE_OWNER,
    UNANNOUNCED,
    ORPHANED,
    DUAL_CONTROLLER,
    FLAPPING,
    COLLECTOR_SILENT,
    /** A MAC of no node of the cluster answers on the wire for a VIP a Service claims. */
    UNKNOWN_RESPONDER,
    /** A Service claims the VIP and an L2 speaker announces it, yet no probe got a reply. */
    WIRE_SILENT
}
