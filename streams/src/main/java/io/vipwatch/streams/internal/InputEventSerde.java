package io.vipwatch.streams.internal;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.event.WireObservation;
import io.vipwatch.schemas.serde.InputCodec;

import java.util.Map;

/**
 * Any input event on the repartition topic: one tag byte naming the input topic, then the event's
 * Avro single-object encoding.
 */
public final class InputEventSerde implements Serde<InputEvent>, Serializer<InputEvent>, Deserializer<InputEvent> {

    private static final String[] TOPICS = {Topics.SERVICES, Topics.ANNOUNCEMENTS, Topics.NODE_ADDRESSES, Topics.NODES,
        Topics.HEARTBEATS, Topics.WIRE};

    @Override
    public byte[] serialize(final String topic, final InputEvent event) {
        if (event == null) {
            return null;
        }
        final byte tag;
        if (event instanceof ServiceChange) {
            tag = 0;
        } else if (event instanceof AnnouncementChange) {
            tag = 1;
        } else if (event instanceof NodeAddresses) {
            tag = 2;
        } else if (event instanceof NodeFacts) {
            tag = 3;
        } else if (event instanceof Heartbeat) {
            tag = 4;
        } else if (event instanceof WireObservation) {
            tag = 5;
        } else {
            throw new SerializationException("unknown event type " + event.getClass().getName());
        }
        final byte[] body = InputCodec.encode(event);
        final byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    @Override
    public InputEvent deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 2 || data[0] < 0 || data[0] >= TOPICS.length) {
            throw new SerializationException(topic + ": not a repartitioned input event");
        }
        final byte[] body = new byte[data.length - 1];
        System.arraycopy(data, 1, body, 0, body.length);
        return InputCodec.decode(TOPICS[data[0]], body);
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public Serializer<InputEvent> serializer() {
        return this;
    }

    @Override
    public Deserializer<InputEvent> deserializer() {
        return this;
    }
}
