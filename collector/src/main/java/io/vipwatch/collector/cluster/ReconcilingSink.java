package io.vipwatch.collector.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.vipwatch.collector.publish.EventSink;
import io.vipwatch.collector.publish.PublicationMemory;
import io.vipwatch.collector.publish.Provenance;
import io.vipwatch.collector.publish.PublishedState;
import io.vipwatch.schemas.event.AnnouncementChange;
import io.vipwatch.schemas.event.AnnouncementChange.Evidence;
import io.vipwatch.schemas.event.InputEvent;
import io.vipwatch.schemas.event.ServiceChange;

/**
 * Between the trackers and the real sink: keeps what was published ({@link PublishedState}, remembered across runs
 * by a {@link PublicationMemory}) and, while a (re)list is under way, holds the trackers' events back and then
 * publishes only the difference between what was published and what the trackers now say — deletions first, then
 * new and changed objects. So a (re)list publishes exactly what watching the whole time would have, in an order
 * that never shows two owners of a freed IP at once, and nothing for what is unchanged. Outside a (re)list every
 * event passes straight through. Used by the collector's worker thread only.
 */
final class ReconcilingSink implements EventSink {

    /** One event held back during a (re)list, or a node's tombstone. */
    private record Held(String identity, InputEvent event) {
    }

    private final EventSink sink;
    private final Provenance provenance;
    private final PublicationMemory memory;
    // what was published and not taken back
    private final PublishedState published = new PublishedState();
    // what the trackers have decided: equal to published except while holding
    private final PublishedState decided = new PublishedState();
    // identity -> what to remember next (null: taken back), written after the events are flushed
    private final Map<String, InputEvent> unsaved = new LinkedHashMap<>();
    private final List<Held> held = new ArrayList<>();
    private boolean holding;

    ReconcilingSink(final EventSink sink, final Provenance provenance, final PublicationMemory memory) {
        this.sink = sink;
        this.provenance = provenance;
        this.memory = memory;
    }

    /** What was published before (from the memory): the (re)list that follows is compared with it. */
    void remember(final List<InputEvent> events) {
        events.forEach(published::apply);
    }

    /** An object the trackers took over from memory without publishing it (a speaker known from Events). */
    void believe(final InputEvent event) {
        decided.apply(event);
    }

    /** From now until {@link #release()}, the trackers' events are held back. */
    void hold() {
        holding = true;
    }

    boolean holding() {
        return holding;
    }

    @Override
    public void publish(final InputEvent event) {
        final String identity = PublishedState.identity(event);
        if (identity == null) {
            sink.publish(event);
            return;
        }
        decided.apply(event);
        if (holding) {
            held.add(new Held(identity, event));
        } else {
            emit(identity, event);
        }
    }

    @Override
    public void nodeDeleted(final String cluster, final String node, final long observedAt, final String source) {
        decided.removeNode(node);
        if (holding) {
            held.add(new Held(PublishedState.NODE + node, null));
        } else {
            emitNodeDeleted(node, observedAt);
        }
    }

    /**
     * Ends the hold: publishes the difference between what was published and what the trackers decided, all stamped
     * now. First every Service gone (or replaced by one of another uid) with WITHDRAWs of its speakers, then
     * speakers gone, then nodes gone (tombstones), then new and changed objects in the order the trackers decided
     * them (a Service before its speakers).
     *
     * @return how many events were published
     */
    int release() {
        holding = false;
        final long now = provenance.now();
        // identity -> its last held event (the evidence of a WITHDRAW); identities in the order first held
        final Map<String, InputEvent> lastHeld = new LinkedHashMap<>();
        final Set<String> order = new LinkedHashSet<>();
        for (final Held h : held) {
            order.add(h.identity());
            lastHeld.put(h.identity(), h.event());
        }
        held.clear();
        int count = 0;
        for (final String identity : sorted(PublishedState.SERVICE)) {
            final ServiceChange before = (ServiceChange) published.get(identity);
            final InputEvent after = decided.get(identity);
            if (after == null || !Objects.equals(((ServiceChange) after).uid(), before.uid())) {
                count += emit(identity, deletion(before, now));
                for (final String speaker : sorted(PublishedState.announcementsOf(before.service()))) {
                    count += emit(speaker, withdrawal(speaker, lastHeld.get(speaker), now, "Service "
                            + (after == null ? "gone" : "replaced") + " while not watched"));
                }
            }
        }
        for (final String identity : sorted(PublishedState.ANNOUNCEMENT)) {
            if (!decided.contains(identity)) {
                count += emit(identity, withdrawal(identity, lastHeld.get(identity), now, "gone while not watched"));
            }
        }
        for (final String identity : sorted(PublishedState.NODE)) {
            if (!decided.contains(identity)) {
                count += emitNodeDeleted(identity.substring(PublishedState.NODE.length()), now);
            }
        }
        for (final String identity : order) {
            final InputEvent after = decided.get(identity);
            if (after != null && !PublishedState.sameFacts(after, published.get(identity))) {
                count += emit(identity, PublishedState.observedAt(after, now));
            }
        }
        return count;
    }

    /** Writes what changed since the last checkpoint to the memory, after flushing the events it describes. */
    void checkpoint() {
        if (unsaved.isEmpty()) {
            return;
        }
        sink.flush();
        memory.save(new LinkedHashMap<>(unsaved), published);
        unsaved.clear();
    }

    /** What was published and not taken back. */
    PublishedState published() {
        return published;
    }

    private int emit(final String identity, final InputEvent event) {
        sink.publish(event);
        published.apply(event);
        unsaved.put(identity, published.get(identity));
        return 1;
    }

    private int emitNodeDeleted(final String node, final long at) {
        sink.nodeDeleted(provenance.cluster(), node, at, provenance.source());
        published.removeNode(node);
        unsaved.put(PublishedState.NODE + node, null);
        return 1;
    }

    /** Published identities with a prefix, sorted: a (re)list's deletions come out in a stable order. */
    private Set<String> sorted(final String prefix) {
        final Set<String> out = new TreeSet<>();
        for (final String identity : published.entries().keySet()) {
            if (identity.startsWith(prefix)) {
                out.add(identity);
            }
        }
        return out;
    }

    private ServiceChange deletion(final ServiceChange before, final long now) {
        return new ServiceChange(before.cluster(), now, provenance.source(), provenance.newEventId(),
                ServiceChange.Op.DELETE, before.namespace(), before.name(), before.uid(), before.resourceVersion(),
                before.serviceType(), before.loadBalancerClass(), before.ingressIps(), before.requestedIps(),
                before.externalTrafficPolicy(), before.annotations());
    }

    /** A WITHDRAW of a published speaker, with the trackers' reason if they gave one. */
    private AnnouncementChange withdrawal(final String identity, final InputEvent heldLast, final long now,
            final String why) {
        final AnnouncementChange before = (AnnouncementChange) published.get(identity);
        final Evidence evidence = heldLast instanceof AnnouncementChange e && e.op() == AnnouncementChange.Op.WITHDRAW
                && e.evidence() != null ? e.evidence()
                : new Evidence(before.evidence() == null ? "OTHER" : before.evidence().kind(),
                        before.evidence() == null ? before.service() : before.evidence().ref(), why);
        return new AnnouncementChange(before.cluster(), now, provenance.source(), provenance.newEventId(),
                AnnouncementChange.Op.WITHDRAW, before.namespace(), before.name(), before.announcer(), before.node(),
                before.vip(), before.interfaces(), evidence);
    }

    @Override
    public void flush() {
        sink.flush();
    }

    @Override
    public void close() {
        sink.close();
    }
}
