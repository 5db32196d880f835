package io.vipwatch.ops.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** deploy/prometheus: the rules load in Prometheus ({@code promtool check rules}) and fire when they should. */
class PrometheusRulesTest {

    private static final Path DIR = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();

    @Test
    void rulesAreValidAndTheirUnitTestsPass() throws Exception {
        Assumptions.assumeTrue(Promtool.available(),
                Promtool.BINARY + " is not installed (apt-get install prometheus): promtool checks skipped");
        final Promtool.Result check = Promtool.run(null, DIR, "check", "rules", "vipwatch-rules.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        final Promtool.Result test = Promtool.run(null, DIR, "test", "rules", "vipwatch-rules.test.yml");
        assertThat(test.exit()).as(test.output()).isZero();
    }
}
