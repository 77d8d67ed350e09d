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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts calls by method and status, and knows how many are in flight, so a draining node refuses
 * new calls with UNAVAILABLE and waits for the running ones to finish.
 */
public final class CallTracker implements ServerInterceptor {

    /**
     * Health checks keep working while draining, so probes see NOT_SERVING rather than an error; and
     * the drain does not wait for them: a health watch lasts as long as its client wants.
     */
    private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    private final GatewayMetrics metrics;
    private final AtomicInteger active = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // guarded by lock
    private int holdingDrain;
    private boolean draining;

    public CallTracker(GatewayMetrics metrics) {
        this.metrics = metrics;
        metrics.grpcCallsActive(active::get);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        boolean holdsDrain = !call.getMethodDescriptor().getServiceName().equals(HEALTH_SERVICE);
        lock.lock();
        try {
            if (draining && holdsDrain) {
                metrics.grpcCall(method, Status.Code.UNAVAILABLE.name());
                call.close(Status.UNAVAILABLE.withDescription("the node is shutting down; retry on another node"), new Metadata());
                return new ServerCall.Listener<Q>() {
                };
            }
            if (holdsDrain) {
                holdingDrain++;
            }
        } finally {
            lock.unlock();
        }
        active.incrementAndGet();
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                active.decrementAndGet();
                if (holdsDrain) {
                    releaseDrain();
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    metrics.grpcCall(method, status.getCode().name());
                    try {
                        super.close(status, trailers);
                    } finally {
                        finish.run();
                    }
                }
            }, headers);
        } catch (RuntimeException e) {
            finish.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    if (!finished.get()) {
                        metrics.grpcCall(method, Status.Code.CANCELLED.name());
                    }
                    finish.run();
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

    /** Waits up to {@code grace} for running calls (health checks aside) to finish; true if they all did. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long remaining = grace.toNanos();
        lock.lock();
        try {
            while (holdingDrain > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
            return holdingDrain == 0;
        } finally {
            lock.unlock();
        }
    }

    private void releaseDrain() {
        lock.lock();
        try {
            if (--holdingDrain == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
