package io.vipwatch.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BrokerLagClientSupplierTest {

    private static final OptionalLong CAUGHT_UP = OptionalLong.of(0);

    @Test
    void anEndOffsetPastThePositionIsLagTheTaskWaitsFor() {
        assertThat(BrokerLagClientSupplier.brokerLag(CAUGHT_UP, 120, () -> 100)).hasValue(20);
    }

    @Test
    void anEndOffsetAtOrBeforeThePositionLeavesTheFetchedLag() {
        // the Admin client's end offset is older than the consumer's last fetch
        assertThat(BrokerLagClientSupplier.brokerLag(CAUGHT_UP, 100, () -> 100)).hasValue(0);
        assertThat(BrokerLagClientSupplier.brokerLag(CAUGHT_UP, 90, () -> 100)).hasValue(0);
    }

    @Test
    void anUnknownEndOffsetOrPositionLeavesTheFetchedLag() {
        assertThat(BrokerLagClientSupplier.brokerLag(CAUGHT_UP, -1, () -> 100)).hasValue(0);
        assertThat(BrokerLagClientSupplier.brokerLag(CAUGHT_UP, 120, () -> {
            throw new TimeoutException("no valid position");
        })).hasValue(0);
    }
}
