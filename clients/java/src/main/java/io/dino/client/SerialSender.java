package io.dino.client;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs send operations one at a time, in submission order.
 *
 * <p>{@code java.net.http.WebSocket} fails a {@code sendText} issued while the previous one is still pending,
 * so concurrent callers must queue. Each operation starts when the previous one has completed, successfully or
 * not (a failed send must not block the ones behind it). Operations that complete at once, as every send does
 * after the socket closed, are drained in a loop rather than by recursion, so a long queue cannot overflow the
 * stack.
 */
final class SerialSender {

    private record Operation(Supplier<? extends CompletionStage<?>> start, CompletableFuture<Void> done) {
    }

    private final ArrayDeque<Operation> queue = new ArrayDeque<>(); // guarded by this
    private boolean running; // guarded by this; true while some thread owns the drain loop or a send is in flight

    /**
     * Queues an operation.
     *
     * @param start starts the send and returns its completion; called on the submitting thread if nothing is in
     *              flight, otherwise on the thread that completed the previous send
     * @return completes when the operation has completed, exceptionally if it failed
     */
    CompletableFuture<Void> submit(Supplier<? extends CompletionStage<?>> start) {
        Operation operation = new Operation(start, new CompletableFuture<>());
        synchronized (this) {
            queue.add(operation);
            if (running) {
                return operation.done();
            }
            running = true;
        }
        drain();
        return operation.done();
    }

    /** Number of operations queued behind the one in flight. */
    synchronized int queued() {
        return queue.size();
    }

    private void drain() {
        while (true) {
            Operation operation;
            synchronized (this) {
                operation = queue.poll();
                if (operation == null) {
                    running = false;
                    return;
                }
            }
            CompletableFuture<?> sent = start(operation);
            if (!sent.isDone()) {
                // Continue on whichever thread completes the send; this thread is free to return.
                sent.whenComplete((ignored, error) -> {
                    settle(operation, sent);
                    drain();
                });
                return;
            }
            settle(operation, sent);
        }
    }

    private static CompletableFuture<?> start(Operation operation) {
        try {
            return operation.start().get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void settle(Operation operation, CompletableFuture<?> sent) {
        sent.handle((ignored, error) -> error == null
                ? operation.done().complete(null)
                : operation.done().completeExceptionally(unwrap(error)));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
