package io.vipwatch.streams.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.streams.core.Alert;
import io.vipwatch.streams.core.DetectionSettings;
import io.vipwatch.streams.core.DetectionSink;
import io.vipwatch.streams.core.Detector;
import io.vipwatch.streams.core.InMemoryState;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The detection core, run as {@code vipwatch analyze} runs it, gives exactly the alert transitions of the reference
 * model ({@link ReferenceModel}, a reading of docs/detection.md) for random small clusters ({@link GeneratedCluster}).
 * CI tries 2,000 clusters; {@code -Dvipwatch.reference.clusters=N} tries N (the long run of docs/detection.md,
 * "Checked against a reference model").
 */
class ReferenceModelPropertyTest {

    @Property(tries = 2000)
    @AddLifecycleHook(ClustersFromProperty.class)
    void theCoreGivesTheTransitionsOfTheReferenceModel(@ForAll("clusters") final GeneratedCluster cluster) {
        final List<InputEvent> events = cluster.events();

        final List<Transition> expected = ReferenceModel.run(cluster.tunables(), events);
        final List<Transition> actual = core(cluster.tunables(), events);

        final TreeSet<String> seen = new TreeSet<>();
        expected.forEach(t -> seen.add(t.state() + " " + t.kind()));
        seen.forEach(s -> Statistics.label("clusters with").collect(s));
        Statistics.label("transitions").collect(expected.size() < 3 ? String.valueOf(expected.size()) : "3+");
        assertThat(actual).as("core vs reference model for\n%s", cluster).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return GeneratedCluster.arbitrary();
    }

    static List<Transition> core(final Tunables t, final List<InputEvent> events) {
        final DetectionSettings config = new DetectionSettings(Duration.ofMillis(t.grace()), t.penalty(),
                Duration.ofMillis(t.halfLife()), t.suppress(), t.reuse(), t.cap(), Duration.ofMillis(t.mergeWindow()),
                Duration.ofMillis(t.silenceAfter()));
        final List<Transition> out = new ArrayList<>();
        final Detector detector = new Detector(config, new InMemoryState(), new DetectionSink() {
            @Override
            public void alert(final Alert a) {
                out.add(new Transition(a.state().name(), a.kind().name(), a.cluster(), a.vip(), a.nodes(), a.service(),
                        a.at()));
            }
        });
        events.forEach(detector::accept);
        detector.finish();
        out.sort(Transition.ORDER);
        return out;
    }

    /** {@code -Dvipwatch.reference.clusters=N} runs the property over N clusters instead of the CI size. */
    static final class ClustersFromProperty implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(final PropertyLifecycleContext context,
                final PropertyExecutor property) {
            final String clusters = System.getProperty("vipwatch.reference.clusters");
            if (clusters != null && !clusters.isBlank()) {
                context.attributes().setTries(Integer.parseInt(clusters.trim()));
            }
            return property.execute();
        }
    }
}
