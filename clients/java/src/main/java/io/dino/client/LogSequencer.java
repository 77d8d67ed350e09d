package io.dino.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decides, per log, which {@code message}/{@code private} events reach the application and in what order:
 * each (epoch, offset) once, in offset order, across live events and the messages a join or connect
 * recovered.
 *
 * <p>Per log it keeps the last position handed to the application. An event in that position's epoch at or
 * before it is a repeat and is dropped; an event in another epoch is accepted and starts the new epoch (the
 * log was reset). While a join or connect is in flight ({@link #begin} to {@link #complete} or
 * {@link #abort}) the log's live events are buffered: the server subscribes before it reads what was
 * missed, so live events may overlap the recovered messages in either order, and only after the result is
 * known can they be merged in order.
 *
 * <p>Pure and not thread-safe: no I/O, no clock; the caller serializes calls and delivers what is returned.
 */
final class LogSequencer {

    /** What a join or connect result produced: the recovery report (null when no position was sent) and the events to deliver, in order. */
    record Completion(Recovery recovery, List<JsonNode> deliver) {
        static final Completion NOTHING = new Completion(null, List.of());
    }

    private static final class LogState {
        Position last; // last position handed to the application; null until the first result
        List<JsonNode> buffer; // live events held while a join/connect is in flight; null otherwise
    }

    private final Map<LogId, LogState> logs = new LinkedHashMap<>();
    private long duplicatesDropped;
    private long gaps;

    /**
     * A live event. Returns it if it should be delivered now; empty if it was buffered (a join or connect for
     * its log is in flight), is a repeat, or belongs to a log that is not followed (a room not joined or left).
     * Events that name no log (not {@code message}/{@code private}, or no room) are returned as they are.
     */
    Optional<JsonNode> live(JsonNode event) {
        LogId log = LogId.of(event);
        if (log == null) {
            return Optional.of(event);
        }
        LogState state = logs.get(log);
        if (state == null) {
            return Optional.empty();
        }
        if (state.buffer != null) {
            state.buffer.add(event);
            return Optional.empty();
        }
        return accept(state, event) ? Optional.of(event) : Optional.empty();
    }

    /**
     * Starts following {@code log} (if not yet followed) and buffers its live events until {@link #complete}
     * or {@link #abort}. Call before sending the join or connect. Anything buffered before is discarded.
     */
    void begin(LogId log) {
        logs.computeIfAbsent(log, ignored -> new LogState()).buffer = new ArrayList<>();
    }

    /**
     * Applies a join result ({@code room, epoch, offset, ...}) or a connect result's {@code inbox} object.
     * With {@code recovered: true} the recovered {@code messages} are delivered first, then the buffered live
     * events, each once. Otherwise (no position was sent, or {@code recovered: false}) delivery continues
     * after the result's position: buffered events at or before it are dropped.
     *
     * <p>A result without a position (a server that predates positions) only ends the buffering: the
     * buffered events are delivered, repeats dropped.
     *
     * @return the recovery report when the result has {@code recovered}, and the events to deliver; nothing
     *         if the log is no longer followed (left while the join was in flight)
     */
    Completion complete(LogId log, JsonNode result) {
        LogState state = logs.get(log);
        if (state == null || state.buffer == null) {
            return Completion.NOTHING;
        }
        Position from = state.last;
        Position top = Position.of(result);
        List<JsonNode> deliver = new ArrayList<>();
        if (top == null) {
            flush(state, deliver);
            return new Completion(null, List.copyOf(deliver));
        }
        JsonNode recoveredField = result.get("recovered");
        boolean recovered = recoveredField != null && recoveredField.asBoolean();
        if (recovered) {
            for (JsonNode msg : result.path("messages")) {
                JsonNode event = event(log, msg);
                if (accept(state, event)) {
                    deliver.add(event);
                }
            }
        } else if (recoveredField == null) {
            // a connect without an inbox position: what the user has not acknowledged, delivered as a recovery is
            for (JsonNode msg : result.path("unacked")) {
                JsonNode event = event(log, msg);
                if (accept(state, event)) {
                    deliver.add(event);
                }
            }
        }
        if (!recovered || state.last == null) {
            state.last = top;
        }
        int replayed = deliver.size();
        flush(state, deliver);
        Recovery recovery = recoveredField == null || from == null ? null : new Recovery(log, recovered, from, top, replayed);
        return new Completion(recovery, List.copyOf(deliver));
    }

    /**
     * The join or connect failed: stops buffering and drops what was buffered (the connection is about to be
     * replaced, or the join never took effect). A log that never had a result is no longer followed.
     */
    void abort(LogId log) {
        LogState state = logs.get(log);
        if (state == null) {
            return;
        }
        if (state.last == null) {
            logs.remove(log);
        } else {
            state.buffer = null;
        }
    }

    /** Stops following a log (the room was left); its later events are dropped. */
    void forget(LogId log) {
        logs.remove(log);
    }

    /**
     * The connection ended: every buffer is dropped (the next connection recovers from the last delivered
     * positions), and logs whose first join or connect never completed are no longer followed.
     */
    void connectionLost() {
        logs.values().removeIf(state -> state.last == null);
        logs.values().forEach(state -> state.buffer = null);
    }

    /** Whether the log is followed (joined, or a join for it is in flight). */
    boolean follows(LogId log) {
        return logs.containsKey(log);
    }

    /** The last position handed to the application for {@code log}, or null. */
    Position position(LogId log) {
        LogState state = logs.get(log);
        return state == null ? null : state.last;
    }

    /** The last delivered position of every log that has one, in the order the logs were first followed. */
    Map<LogId, Position> positions() {
        Map<LogId, Position> positions = new LinkedHashMap<>();
        logs.forEach((log, state) -> {
            if (state.last != null) {
                positions.put(log, state.last);
            }
        });
        return positions;
    }

    /** Events dropped because their position had been delivered already. */
    long duplicatesDropped() {
        return duplicatesDropped;
    }

    /**
     * Delivered events that skipped offsets in their epoch (the offset before them was never delivered).
     * The server delivers each log in order, so this stays 0 unless messages were lost on the way, or were
     * deleted (a recovery leaves deleted messages out, so their offsets are skipped).
     */
    long gaps() {
        return gaps;
    }

    /** Ends buffering: adds the buffered events that are not repeats to {@code deliver}. */
    private void flush(LogState state, List<JsonNode> deliver) {
        List<JsonNode> buffered = state.buffer;
        state.buffer = null;
        for (JsonNode event : buffered) {
            if (accept(state, event)) {
                deliver.add(event);
            }
        }
    }

    /** Accepts an event unless it repeats a delivered position; updates the log's position. */
    private boolean accept(LogState state, JsonNode event) {
        Position position = Position.of(event.get("msg"));
        if (position == null) {
            return true; // no position to order by: a server bug, but the message is still the application's
        }
        Position last = state.last;
        if (last != null && last.covers(position)) {
            duplicatesDropped++;
            return false;
        }
        if (last != null && last.epoch().equals(position.epoch()) && position.offset() > last.offset() + 1) {
            gaps++;
        }
        state.last = position;
        return true;
    }

    /** Wraps a recovered message object as the event it would have arrived as. */
    private static JsonNode event(LogId log, JsonNode msg) {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("event", log.eventName());
        event.set("msg", msg);
        return event;
    }
}
