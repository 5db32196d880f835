package io.vipwatch.schemas.event;

/**
 * An observation published by a collector: what a cluster says, what a speaker announces, what a node
 * has on its interfaces. In process these are Java records; on the wire they are the Avro records of
 * the {@code .avsc} contract ({@link io.vipwatch.schemas.serde.AvroMapper} maps between them).
 */
public sealed interface InputEvent
        permits ServiceChange, AnnouncementChange, NodeAddresses, NodeFacts, Heartbeat, WireObservation {

    /** Fleet-unique cluster id. */
    String cluster();

    /** Epoch millis at the source; the Kafka record timestamp. */
    long observedAt();

    /** The collector instance that observed it. */
    String source();

    /** UUID, for de-duplication. */
    String eventId();

    /** The Kafka key of the event's topic. */
    String key();

    /** The recording's {@code type} of this event. */
    String type();
}
