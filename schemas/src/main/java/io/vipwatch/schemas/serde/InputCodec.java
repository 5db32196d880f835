package io.vipwatch.schemas.serde;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;

/** Input events to and from the bytes of their topics. Thread-safe. */
public final class InputCodec {

    private static final AvroSerde<io.vipwatch.schemas.avro.ServiceChange> SERVICES = AvroSerdes.serviceChange();
    private static final AvroSerde<io.vipwatch.schemas.avro.AnnouncementChange> ANNOUNCEMENTS = AvroSerdes.announcementChange();
    private static final AvroSerde<io.vipwatch.schemas.avro.NodeAddresses> NODE_ADDRESSES = AvroSerdes.nodeAddresses();
    private static final AvroSerde<io.vipwatch.schemas.avro.NodeFacts> NODES = AvroSerdes.nodeFacts();
    private static final AvroSerde<io.vipwatch.schemas.avro.Heartbeat> HEARTBEATS = AvroSerdes.heartbeat();
    private static final AvroSerde<io.vipwatch.schemas.avro.WireObservation> WIRE = AvroSerdes.wireObservation();

    private InputCodec() {
    }

    public static byte[] encode(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            return SERVICES.encode(AvroMapper.toAvro(e));
        } else if (event instanceof AnnouncementChange e) {
            return ANNOUNCEMENTS.encode(AvroMapper.toAvro(e));
        } else if (event instanceof NodeAddresses e) {
            return NODE_ADDRESSES.encode(AvroMapper.toAvro(e));
        } else if (event instanceof NodeFacts e) {
            return NODES.encode(AvroMapper.toAvro(e));
        } else if (event instanceof Heartbeat e) {
            return HEARTBEATS.encode(AvroMapper.toAvro(e));
        } else if (event instanceof WireObservation e) {
            return WIRE.encode(AvroMapper.toAvro(e));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /**
     * Decodes the value of an input topic, given the topic's unprefixed name ({@link Topics#SERVICES}, ...).
     *
     * @throws org.apache.kafka.common.errors.SerializationException naming the problem
     */
    public static InputEvent decode(final String baseTopic, final byte[] bytes) {
        return switch (baseTopic) {
            case Topics.SERVICES -> AvroMapper.fromAvro(SERVICES.decode(bytes));
            case Topics.ANNOUNCEMENTS -> AvroMapper.fromAvro(ANNOUNCEMENTS.decode(bytes));
            case Topics.NODE_ADDRESSES -> AvroMapper.fromAvro(NODE_ADDRESSES.decode(bytes));
            case Topics.NODES -> AvroMapper.fromAvro(NODES.decode(bytes));
            case Topics.HEARTBEATS -> AvroMapper.fromAvro(HEARTBEATS.decode(bytes));
            case Topics.WIRE -> AvroMapper.fromAvro(WIRE.decode(bytes));
            default -> throw new IllegalArgumentException("not an input topic: " + baseTopic);
        };
    }
}
