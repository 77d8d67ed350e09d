package io.dino.loadgen;

import java.util.Arrays;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A subscriber's event handler: for each {@code message} event with one of our bodies
 * ({@code {"p":sender,"s":sequence,"t":nanoTime}}), records the latency and counts the delivery as new, late
 * or duplicate in the phase the message was sent in. Runs on the connection's listener thread, one event at a
 * time: a few field lookups on the already parsed event, no allocation on the in-order path.
 *
 * <p>Senders are numbered so that sender {@code p} publishes into room {@code p % rooms}; a subscriber of room
 * {@code r} therefore tracks senders {@code r, r + rooms, r + 2 rooms, ...} at slots {@code p / rooms}.
 */
final class Receiver implements Consumer<JsonNode> {

    private final int room;
    private final int rooms;
    private final Phases phases;
    private SequenceTracker[] trackers = new SequenceTracker[1];

    Receiver(int room, int rooms, Phases phases) {
        this.room = room;
        this.rooms = rooms;
        this.phases = phases;
    }

    @Override
    public void accept(JsonNode event) {
        long now = System.nanoTime();
        JsonNode type = event.get("event");
        String name = type == null ? null : type.textValue();
        if (!"message".equals(name)) {
            countDisconnect(event, "subscriber", phases.disconnects);
            return;
        }
        JsonNode body = event.path("msg").path("body");
        JsonNode p = body.get("p");
        JsonNode s = body.get("s");
        JsonNode t = body.get("t");
        if (p == null || s == null || t == null || !p.canConvertToInt() || !s.canConvertToLong() || !t.canConvertToLong()) {
            phases.foreign.increment();
            return;
        }
        int sender = p.intValue();
        long sequence = s.longValue();
        int phase = sender >= 0 && sequence >= 0 && sender % rooms == room ? phases.map.phaseOf(sender, sequence) : -1;
        if (phase < 0) {
            phases.foreign.increment();
            return;
        }
        StepStats stats = phases.get(phase);
        switch (tracker(sender / rooms).accept(sequence)) {
            case NEW -> delivered(stats, now - t.longValue());
            case LATE -> {
                stats.outOfOrder.increment();
                delivered(stats, now - t.longValue());
            }
            case DUPLICATE -> stats.duplicates.increment();
            case UNTRACKED -> stats.untracked.increment();
        }
    }

    /** Counts a {@code disconnect} event (the server's last frame before it closes the session) by code and name. */
    static void countDisconnect(JsonNode event, String who, Failures disconnects) {
        JsonNode type = event.get("event");
        if (type != null && "disconnect".equals(type.textValue())) {
            disconnects.add(who + " disconnect", event.path("code").asInt() + " " + event.path("name").asText());
        }
    }

    private void delivered(StepStats stats, long latencyNanos) {
        stats.receivedByRoom[room].increment();
        stats.deliveryMicros.recordValue(Math.max(0, latencyNanos / 1000));
    }

    private SequenceTracker tracker(int slot) {
        if (slot >= trackers.length) {
            trackers = Arrays.copyOf(trackers, Math.max(slot + 1, trackers.length * 2));
        }
        SequenceTracker tracker = trackers[slot];
        if (tracker == null) {
            tracker = new SequenceTracker();
            trackers[slot] = tracker;
        }
        return tracker;
    }
}
