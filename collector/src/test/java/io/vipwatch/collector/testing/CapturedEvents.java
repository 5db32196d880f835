package io.vipwatch.collector.testing;

import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

import io.vipwatch.collector.publish.RecordingEventSink;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.Heartbeat;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.NodeAddresses;
import io.vipwatch.schemas.event.NodeFacts;
import io.vipwatch.schemas.event.ServiceChange;
import io.vipwatch.schemas.recording.RecordingCodec;
import io.vipwatch.testkit.Poll;

/**
 * What a role wrote as a recording, read back line by line: the real {@link RecordingEventSink} writes into this
 * writer, each complete line is parsed with the real recording codec and queued. {@link #normalized} blanks the
 * two fields no test can predict (observedAt, eventId), so tests compare whole events.
 */
public final class CapturedEvents extends Writer {

    private final StringBuilder partial = new StringBuilder();
    private final BlockingQueue<InputEvent> events = new LinkedBlockingQueue<>();
    private final List<String> lines = new ArrayList<>();

    public RecordingEventSink sink() {
        return new RecordingEventSink(this, true);
    }

    @Override
    public synchronized void write(final char[] buffer, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            final char c = buffer[i];
            if (c == '\n') {
                final String line = partial.toString();
                partial.setLength(0);
                lines.add(line);
                events.add(RecordingCodec.parse(line));
            } else {
                partial.append(c);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The next event that is not a heartbeat, normalized; fails after the timeout. */
    public InputEvent next(final Duration timeout) throws InterruptedException {
        return normalized(Poll.next("an event", timeout, events, event -> !(event instanceof Heartbeat)));
    }

    /** The next {@code count} events that are not heartbeats, normalized. */
    public List<InputEvent> next(final int count, final Duration timeout) throws InterruptedException {
        final List<InputEvent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(next(timeout));
        }
        return out;
    }

    /** The next event matching the predicate, skipping others (not normalized); fails after the timeout. */
    public InputEvent nextMatching(final Predicate<InputEvent> predicate, final Duration timeout)
            throws InterruptedException {
        return Poll.next("a matching event", timeout, events, predicate);
    }

    /** Everything queued now, heartbeats left out, normalized; the queue is emptied. */
    public List<InputEvent> drainNonHeartbeats() {
        final List<InputEvent> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained.stream().filter(e -> !(e instanceof Heartbeat)).map(CapturedEvents::normalized).toList();
    }

    /**
     * An event in one short line, as a reader of the recording would say it: {@code DELETE default/web
     * [198.51.100.10]}, {@code WITHDRAW default/web METALLB_L2 worker-1}, {@code facts cp-1}, {@code tombstone cp-1},
     * {@code addresses n1 [198.51.100.10]}, {@code heartbeat collector/c1}.
     */
    public static String describe(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            return e.op() + " " + e.service() + " " + e.ingressIps();
        } else if (event instanceof AnnouncementChange e) {
            return e.op() + " " + e.service() + " " + e.announcer() + " " + e.node();
        } else if (event instanceof NodeAddresses e) {
            return e.deleted() ? "tombstone " + e.node()
                    : "addresses " + e.node() + " " + e.addresses().stream().map(a -> a.ip()).toList();
        } else if (event instanceof NodeFacts e) {
            return "facts " + e.node();
        }
        return event.type() + " " + event.source();
    }

    /** observedAt = 0 and eventId = "-": the rest of the event is what a test asserts. */
    public static InputEvent normalized(final InputEvent event) {
        if (event instanceof ServiceChange e) {
            return new ServiceChange(e.cluster(), 0, e.source(), "-", e.op(), e.namespace(), e.name(), e.uid(),
                    e.resourceVersion(), e.serviceType(), e.loadBalancerClass(), e.ingressIps(), e.requestedIps(),
                    e.externalTrafficPolicy(), e.annotations());
        } else if (event instanceof AnnouncementChange e) {
            return new AnnouncementChange(e.cluster(), 0, e.source(), "-", e.op(), e.namespace(), e.name(),
                    e.announcer(), e.node(), e.vip(), e.interfaces(), e.evidence());
        } else if (event instanceof NodeAddresses e) {
            return new NodeAddresses(e.cluster(), 0, e.source(), "-", e.node(), e.addresses(), e.deleted(),
                    e.links());
        } else if (event instanceof NodeFacts e) {
            return new NodeFacts(e.cluster(), 0, e.source(), "-", e.node(), e.roles(), e.excludedFromLoadBalancers(),
                    e.speakerEligible(), e.networkUnavailable(), e.kubeVip(), e.deleted());
        } else if (event instanceof Heartbeat e) {
            return new Heartbeat(e.cluster(), 0, e.source(), "-", e.node(), e.intervalMs());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }
}
