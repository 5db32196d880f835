package io.vipwatch.schemas.serde;

import io.vipwatch.schemas.avro.Alert;
import io.vipwatch.schemas.avro.AnnouncementChange;
import io.vipwatch.schemas.avro.Heartbeat;
import io.vipwatch.schemas.avro.NodeAddresses;
import io.vipwatch.schemas.avro.NodeFacts;
import io.vipwatch.schemas.avro.OwnershipChange;
import io.vipwatch.schemas.avro.ServiceChange;
import io.vipwatch.schemas.avro.VipState;
import io.vipwatch.schemas.avro.WireObservation;

/** One serde per record of the contract. Keys are plain UTF-8 strings ({@code Serdes.String()}). */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    public static AvroSerde<ServiceChange> serviceChange() {
        return AvroSerde.of(ServiceChange.class);
    }

    public static AvroSerde<AnnouncementChange> announcementChange() {
        return AvroSerde.of(AnnouncementChange.class);
    }

    public static AvroSerde<NodeAddresses> nodeAddresses() {
        return AvroSerde.of(NodeAddresses.class);
    }

    public static AvroSerde<NodeFacts> nodeFacts() {
        return AvroSerde.of(NodeFacts.class);
    }

    public static AvroSerde<Heartbeat> heartbeat() {
        return AvroSerde.of(Heartbeat.class);
    }

    public static AvroSerde<WireObservation> wireObservation() {
        return AvroSerde.of(WireObservation.class);
    }

    public static AvroSerde<VipState> vipState() {
        return AvroSerde.of(VipState.class);
    }

    public static AvroSerde<OwnershipChange> ownershipChange() {
        return AvroSerde.of(OwnershipChange.class);
    }

    public static AvroSerde<Alert> alert() {
        return AvroSerde.of(Alert.class);
    }
}
