package io.dino.gateway.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.LogManager;

/**
 * The JUL log manager of a node process. The JDK's own manager closes every handler in a shutdown hook of its
 * own, which runs at the same time as the node's: the lines the graceful shutdown logs (the drain, "node ...
 * stopped") were lost. This one ignores that hook's reset while a node runs; the node's shutdown path calls
 * {@link Logs#close()} last, which flushes and closes the handlers. Installed by {@link Logs#install()} through
 * the {@code java.util.logging.manager} system property, before anything logs.
 */
public final class DinoLogManager extends LogManager {

    private final AtomicBoolean held = new AtomicBoolean();

    public DinoLogManager() {
        super();
    }

    /** From now on a reset (the JDK's shutdown hook) leaves the handlers open until {@link #release()}. */
    void hold() {
        held.set(true);
    }

    /** Flushes and closes the handlers now (and lets resets through again). */
    void release() {
        held.set(false);
        super.reset();
    }

    @Override
    public void reset() {
        if (!held.get()) {
            super.reset();
        }
    }
}
