package io.dino.gateway.ops;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * Graceful shutdown, in order: report not ready (so load balancers stop sending), refuse new backend
 * calls, close WebSocket sessions with a "reconnect elsewhere" notice spread over the drain period
 * (so clients don't all reconnect in the same instant), then wait for running backend calls.
 */
public final class Drain {

    private static final Logger LOG = System.getLogger(Drain.class.getName());

    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    /**
     * @param closeTasks      one task per open connection, each sending the notice and closing
     * @param openConnections how many connections are still open
     * @param refuseNewCalls  stops new backend calls
     * @param awaitCalls      waits for running backend calls, up to the grace period
     */
    public void run(List<Runnable> closeTasks, IntSupplier openConnections, Runnable refuseNewCalls,
                    GraceWait awaitCalls, Duration drainPeriod, Duration grpcGrace) throws InterruptedException {
        draining = true;
        refuseNewCalls.run();
        LOG.log(Level.INFO, "draining: closing {0} connections over {1}", closeTasks.size(), drainPeriod);
        long pauseNanos = closeTasks.isEmpty() ? 0 : drainPeriod.toNanos() / closeTasks.size();
        for (Runnable close : closeTasks) {
            close.run();
            if (pauseNanos > 0) {
                // jitter keeps reconnects from lining up on exact intervals
                Thread.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(pauseNanos / 2, pauseNanos + 1)));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (openConnections.getAsInt() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);  // clients answer the close frame; give them a moment before the server stops
        }
        if (!awaitCalls.await(grpcGrace)) {
            LOG.log(Level.WARNING, "backend calls still running after {0}; stopping anyway", grpcGrace);
        }
    }

    /** Waits for something to finish, up to a bound; true if it did. */
    @FunctionalInterface
    public interface GraceWait {
        boolean await(Duration grace) throws InterruptedException;
    }
}
