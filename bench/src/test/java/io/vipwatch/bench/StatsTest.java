package io.vipwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vipwatch.bench.Stats.Round;
import io.vipwatch.bench.Stats.Side;

class StatsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the median of 1..100 is 50 (nearest rank), 0.50, 50",
        "p99 of 1..100 is 99,                       0.99, 99",
        "p100 is the maximum,                       1.00, 100",
        "p0 is the minimum,                         0.00, 1",
        "p1 is the smallest value,                  0.01, 1",
    })
    void nearestRankPercentiles(final String description, final double p, final double expected) {
        final double[] values = IntStream.rangeClosed(1, 100).map(i -> 101 - i).asDoubleStream().toArray();
        assertThat(Stats.percentile(values, p)).isEqualTo(expected);
    }

    @Test
    void p99OfFewValuesIsTheirMaximum() {
        assertThat(Stats.percentile(List.of(3.0, 250.0, 7.0), 0.99)).isEqualTo(250.0);
        assertThat(Stats.percentile(List.of(), 0.99)).isNaN();
        assertThatThrownBy(() -> Stats.percentile(new double[] {1}, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void alternationWarmsBothSidesUpEquallyThenAlternatesWhoGoesFirst() {
        assertThat(Stats.alternation(3)).containsExactly(
                new Round(Side.BASELINE, 0, true), new Round(Side.SUBJECT, 0, true),
                new Round(Side.SUBJECT, 1, false), new Round(Side.BASELINE, 1, false),
                new Round(Side.BASELINE, 2, false), new Round(Side.SUBJECT, 2, false),
                new Round(Side.SUBJECT, 3, false), new Round(Side.BASELINE, 3, false));
    }

    @Test
    void everySideRunsAsOftenAsTheOther() {
        final List<Round> order = Stats.alternation(4);
        assertThat(order.stream().filter(r -> r.side() == Side.BASELINE && !r.warmUp())).hasSize(4);
        assertThat(order.stream().filter(r -> r.side() == Side.SUBJECT && !r.warmUp())).hasSize(4);
        assertThat(order.stream().filter(Round::warmUp)).extracting(Round::side)
                .containsExactlyInAnyOrder(Side.BASELINE, Side.SUBJECT);
        assertThatThrownBy(() -> Stats.alternation(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leastSquaresFitsALine() {
        final double[] fit = GrowthBench.fit(new double[] {1, 2, 4}, new double[] {3, 5, 9});
        assertThat(fit[0]).isCloseTo(1, within(1e-9));
        assertThat(fit[1]).isCloseTo(2, within(1e-9));
    }

    @Test
    void summaryLineNamesTheFourFiguresAndNaForWhatDidNotRun() {
        final Map<String, Result> results = Map.of(
                "topology", Result.of("topology").put("ratio", 0.6912).summary("t"),
                "latency", Result.of("latency").put("p99Ms", 181.4).summary("l"),
                "analyze", Result.of("analyze").put("analyzeEventsPerSecond", 251234.6).summary("a"));
        assertThat(BenchCommand.summaryLine(results))
                .isEqualTo("bench: topology_ratio=0.69 decision_p99_ms=181 bytes_per_vip=n/a analyze_eps=251235");
    }
}
