package io.dino.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Requests waiting for their reply, by command id. Thread-safe: requests are registered by any caller thread
 * and completed by the WebSocket listener thread.
 */
final class PendingRequests {

    /** A registered request: the id to put in the frame and the future its reply completes. */
    record Pending(int id, CompletableFuture<JsonNode> reply) {
    }

    // One timer thread for all clients. Cancelled timeouts are removed at once, so answered requests do not pile
    // up in the queue until their deadline.
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ConcurrentHashMap<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();
    // Set once, when the connection ends; from then on every registration fails at once.
    private volatile Throwable closedCause;

    /**
     * Assigns the next id and registers a future for its reply.
     *
     * @param timeout how long to wait for the reply before failing with a {@link TimeoutException}, or null to
     *                wait until the connection closes
     * @param what    names the request in the timeout message
     */
    Pending register(Duration timeout, String what) {
        int id = lastId.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        waiting.put(id, reply);
        // failAll may have drained the map just before our put. It sets closedCause before draining, so
        // re-reading it after the put catches that case; otherwise its drain sees our entry.
        Throwable cause = closedCause;
        if (cause != null) {
            waiting.remove(id);
            reply.completeExceptionally(cause);
            return new Pending(id, reply);
        }
        if (timeout != null) {
            // Remove the entry before failing the future, so whoever the failure wakes sees a consistent state
            // and a late reply counts as unmatched.
            ScheduledFuture<?> timeoutTask = TIMER.schedule(() -> {
                if (waiting.remove(id, reply)) {
                    reply.completeExceptionally(new TimeoutException("no reply to " + what + " (id " + id + ") within " + timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            reply.whenComplete((result, error) -> timeoutTask.cancel(false));
        }
        return new Pending(id, reply);
    }

    /** Removes and returns the future waiting for {@code id}, or null if no request with that id is waiting. */
    CompletableFuture<JsonNode> take(int id) {
        return waiting.remove(id);
    }

    /** Fails one request, e.g. because its frame could not be sent. */
    void fail(int id, Throwable cause) {
        CompletableFuture<JsonNode> reply = waiting.remove(id);
        if (reply != null) {
            reply.completeExceptionally(cause);
        }
    }

    /** Fails every waiting request, and every later registration, with {@code cause}. */
    void failAll(Throwable cause) {
        if (closedCause == null) {
            closedCause = cause;
        }
        for (Integer id : waiting.keySet()) {
            fail(id, closedCause);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "dino-client-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Number of requests waiting for a reply. */
    int size() {
        return waiting.size();
    }
}
