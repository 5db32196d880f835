package io.vipwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void returnsTheFirstValueThatSatisfiesTheCondition() {
        final AtomicInteger calls = new AtomicInteger();

        final int value = Poll.until("the third call", Duration.ofSeconds(5), calls::incrementAndGet, n -> n >= 3);

        assertThat(value).isEqualTo(3);
    }

    @Test
    void treatsAnExceptionAsNotYet() {
        final AtomicInteger calls = new AtomicInteger();

        final String value = Poll.until("a value after a failure", Duration.ofSeconds(5), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not ready");
            }
            return "ready";
        }, "ready"::equals);

        assertThat(value).isEqualTo("ready");
    }

    @Test
    void timesOutNamingWhatItAwaitedAndTheLastValue() {
        assertThatThrownBy(() -> Poll.until("the answer", Duration.ofMillis(100), () -> 41, n -> n == 42))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the answer")
                .hasMessageContaining("last value: 41");
    }

    @Test
    void untilAssertedRethrowsTheLastMismatchAtTheTimeout() {
        assertThatThrownBy(() -> Poll.untilAsserted("two rows", Duration.ofMillis(100),
                () -> assertThat(1).as("rows").isEqualTo(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("two rows")
                .hasRootCauseMessage("[rows] \nexpected: 2\n but was: 1");
    }
}
