package io.dino.gateway.edge.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listener an interceptor returns for a call it refuses. It answers the call with its status once the
 * request is in: on the first message, on the half-close of a call without one, or after {@link #PATIENCE}
 * for a client that sends neither.
 *
 * <p>Why not close the call right away, in {@code interceptCall}: Helidon (4.5) then marks the HTTP/2 stream
 * fully CLOSED instead of half-closed (local), so the client's request DATA, still on its way, arrives on a
 * closed stream; Helidon treats that as a connection error and sends GOAWAY PROTOCOL_ERROR, which fails every
 * other call on the connection.
 *
 * <p>Why not answer from {@code onReady}, before the request arrived: for a request of several DATA frames,
 * Helidon can end the half-closed stream with frames still queued whose bytes it never returns to the
 * connection's flow-control window; a few such calls use the window up and stall the whole connection.
 */
final class Refusal<Q> extends ServerCall.Listener<Q> {

    /** Clients send the request with the headers; this only bounds the wait for one that never does. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private final ServerCall<Q, ?> call;
    private final Status status;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Future<?> patience;

    private Refusal(ServerCall<Q, ?> call, Status status) {
        this.call = call;
        this.status = status;
    }

    /** Returns the listener to hand back from {@code interceptCall} instead of starting the call. */
    static <Q> ServerCall.Listener<Q> refuse(ServerCall<Q, ?> call, Status status, ScheduledExecutorService timers) {
        Refusal<Q> refusal = new Refusal<>(call, status);
        // a unary call's one message is its whole request; a streaming client may wait for an answer before
        // it half-closes, so the first message must be enough
        call.request(1);
        // the close writes to the socket, which must not hold up the timer thread
        refusal.patience = timers.schedule(() -> Thread.ofVirtual().start(refusal::close),
                PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        return refusal;
    }

    @Override
    public void onMessage(Q message) {
        close();
    }

    @Override
    public void onHalfClose() {
        close();
    }

    @Override
    public void onCancel() {
        // the client gave up: nobody is left to answer
        if (done.compareAndSet(false, true)) {
            patience.cancel(false);
        }
    }

    private void close() {
        if (done.compareAndSet(false, true)) {
            patience.cancel(false);
            call.close(status, new Metadata());
        }
    }
}
