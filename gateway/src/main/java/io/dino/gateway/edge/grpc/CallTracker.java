package io.dino.gateway.edge.grpc;

import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts calls by method and status, and knows how many are in flight, so a draining node refuses
 * new calls with UNAVAILABLE and waits for the running ones to finish.
 */
public final class CallTracker implements ServerInterceptor {

    /** Health checks keep working while draining, so probes see NOT_SERVING rather than an error. */
    private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    private final GatewayMetrics metrics;
    private final ScheduledExecutorService timers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // guarded by lock
    private int inFlight;
    private boolean draining;

    /** {@code timers} bound how long a refused call waits for its request (see {@link Refusal}). */
    public CallTracker(GatewayMetrics metrics, ScheduledExecutorService timers) {
        this.metrics = metrics;
        this.timers = timers;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        lock.lock();
        try {
            if (draining && !call.getMethodDescriptor().getServiceName().equals(HEALTH_SERVICE)) {
                metrics.grpcCall(method, Status.Code.UNAVAILABLE.name());
                return Refusal.refuse(call,
                        Status.UNAVAILABLE.withDescription("the node is shutting down; retry on another node"), timers);
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
        AtomicBoolean finished = new AtomicBoolean();
        ServerCall.Listener<Q> listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                metrics.grpcCall(method, status.getCode().name());
                try {
                    super.close(status, trailers);
                } finally {
                    finish(finished);
                }
            }
        }, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    if (!finished.get()) {
                        metrics.grpcCall(method, Status.Code.CANCELLED.name());
                    }
                    finish(finished);
                }
            }
        };
    }

    /** From now on, new calls get UNAVAILABLE (a draining node must not take new work). */
    public void refuseNewCalls() {
        lock.lock();
        try {
            draining = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code grace} for running calls to finish; true if they all did. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long remaining = grace.toNanos();
        lock.lock();
        try {
            while (inFlight > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }

    private void finish(AtomicBoolean finished) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
