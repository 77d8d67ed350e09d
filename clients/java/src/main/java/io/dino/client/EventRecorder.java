package io.dino.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Records events for tests: pass it to {@link DinoClient.Builder#onEvent(Consumer)}, then wait for the events
 * a test expects.
 *
 * <p>Thread-safe. Events are kept in arrival order until {@link #clear()}; nothing is dropped, so use it for
 * tests, not for long-running programs. Waiting uses a condition signalled on every event, not polling.
 *
 * <p>To check that an event did <em>not</em> arrive, make a round trip first (e.g. {@link DinoClient#ping()}):
 * the server sends frames in order and the client handles them in order, so every event the server sent before
 * the ping reply has been recorded when the ping future completes.
 */
public final class EventRecorder implements Consumer<JsonNode> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition recorded = lock.newCondition();
    private final List<JsonNode> events = new ArrayList<>(); // guarded by lock
    private long clears; // guarded by lock; lets a waiter notice that the list it was scanning was cleared

    /** Matches events of one type ({@code "message"}, {@code "joined"}...). */
    public static Predicate<JsonNode> ofType(String type) {
        return event -> type.equals(event.path("event").asText(null));
    }

    @Override
    public void accept(JsonNode event) {
        lock.lock();
        try {
            events.add(event);
            recorded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of all recorded events, in arrival order. */
    public List<JsonNode> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the recorded events of one type, in arrival order. */
    public List<JsonNode> events(String type) {
        Predicate<JsonNode> ofType = ofType(type);
        return events().stream().filter(ofType).toList();
    }

    /** Forgets all recorded events. */
    public void clear() {
        lock.lock();
        try {
            events.clear();
            clears++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the first recorded event (already recorded or arriving within {@code timeout}) that matches.
     * The predicate is called with the recorder locked, so keep it cheap and side-effect free.
     *
     * @throws TimeoutException if no matching event arrived in time; the message lists what was recorded
     */
    public JsonNode await(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException, TimeoutException {
        return awaitCount(matching, 1, timeout).getFirst();
    }

    /** Waits for the first event of the given type. */
    public JsonNode await(String type, Duration timeout) throws InterruptedException, TimeoutException {
        return await(ofType(type), timeout);
    }

    /**
     * Waits until {@code count} recorded events match and returns the first {@code count} of them, in order.
     *
     * @throws TimeoutException if fewer matched in time; the message lists what was recorded
     */
    public List<JsonNode> awaitCount(Predicate<JsonNode> matching, int count, Duration timeout)
            throws InterruptedException, TimeoutException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long remaining = timeout.toNanos();
        List<JsonNode> found = new ArrayList<>(count);
        lock.lock();
        try {
            // Events are only appended (or all cleared), so each event needs checking once.
            int checked = 0;
            long clearsSeen = clears;
            while (true) {
                if (clears != clearsSeen) { // cleared while we waited: start over
                    clearsSeen = clears;
                    checked = 0;
                    found.clear();
                }
                for (; checked < events.size(); checked++) {
                    JsonNode event = events.get(checked);
                    if (matching.test(event)) {
                        found.add(event);
                        if (found.size() == count) {
                            return found;
                        }
                    }
                }
                if (remaining <= 0) {
                    throw new TimeoutException("expected " + count + " matching event(s) within " + timeout + ", found "
                            + found.size() + "; recorded: " + events);
                }
                remaining = recorded.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }
}
