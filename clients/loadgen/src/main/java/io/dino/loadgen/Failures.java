package io.dino.loadgen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.dino.client.DinoException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Counts failures by a short reason (error name, gRPC status, exception class), so thousands of identical
 * failures make one line in the log instead of thousands.
 */
final class Failures {

    private final ConcurrentHashMap<String, LongAdder> byReason = new ConcurrentHashMap<>();

    void add(String stage, Throwable error) {
        add(stage, reason(error));
    }

    /** Counts a failure described by a short reason, e.g. a {@code disconnect} event's code and name. */
    void add(String stage, String reason) {
        add(stage, reason, 1);
    }

    void add(String stage, String reason, long count) {
        byReason.computeIfAbsent(stage + ": " + reason, key -> new LongAdder()).add(count);
    }

    long total() {
        return byReason.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Reason → count, sorted by reason. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        byReason.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    static String reason(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DinoException dino) {
            return dino.code() + " " + dino.name();
        }
        if (cause instanceof StatusRuntimeException grpc) {
            Status status = grpc.getStatus();
            return "gRPC " + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
