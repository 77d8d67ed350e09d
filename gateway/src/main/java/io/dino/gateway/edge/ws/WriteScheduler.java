package io.dino.gateway.edge.ws;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the writes of every session's {@link OutboundQueue} on as few virtual threads as keep them moving. A queue
 * with frames to write is put on one ready list; a writer thread takes a queue, writes one round of it (at most one
 * gathered write, {@link OutboundQueue#MAX_GATHERED_BYTES}) and puts it back at the end when more is waiting, so a
 * busy session cannot hold up the others. A fan-out to a room thus starts one writer thread, not one per member:
 * starting a virtual thread per delivery (and the wake-ups of carrier threads it takes) was a visible part of a
 * node's CPU under fan-out.
 *
 * <p>Sockets block: a write to a client that does not read waits until the client reads or the connection is cut
 * (a slow consumer is cut after its grace). So a writer that has spent longer than {@link #STALLED_NANOS} in one
 * write counts as stalled: the next queue that becomes ready (or, when none does, a check run by a timer every
 * {@link #CHECK_MILLIS} ms while writers run) takes it out of the running writers (it ends after that write) and a
 * new writer takes the waiting queues. A stalled client therefore delays the other sessions by a few milliseconds,
 * once. With {@code dino.limits.write-delay} a queue is written that long after it became ready, so that
 * the frames of a busy session gather into fewer writes (Centrifugo's write delay). The delivering threads (the redis engine's inbox reader, a
 * publisher under the memory engine's log lock) only put queues on the list and never write themselves.
 */
final class WriteScheduler {

    private static final Logger LOG = System.getLogger(WriteScheduler.class.getName());
    /** A write that has taken longer than this is taken to be blocked on a full socket. */
    static final long STALLED_NANOS = 2_000_000;
    /**
     * How often the timer looks for stalled writers while writers run. Each queue that becomes ready looks too, so
     * under traffic a stalled writer is replaced within {@link #STALLED_NANOS}; the timer is for the queues already
     * waiting when no more arrive. Not shorter: its wake-ups cost context switches.
     */
    static final long CHECK_MILLIS = 10;

    /** One writer thread. */
    private static final class Writer {
        /** When its current write started; 0 while it is not writing. */
        volatile long writingSince;
        /**
         * Set once it no longer counts as running: by itself when it stops, or by the check when a write of it
         * stalled (it then stops after that write). Whoever sets it takes the writer out of {@code running}.
         */
        final AtomicBoolean detached = new AtomicBoolean();
    }

    private final Executor threads;
    private final ScheduledExecutorService timers;
    private final long writeDelayNanos;
    private final ConcurrentLinkedQueue<OutboundQueue> ready = new ConcurrentLinkedQueue<>();
    private final Set<Writer> writers = ConcurrentHashMap.newKeySet();
    /** Writers that take from the ready list and are not stalled; a new one starts when it is 0. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean checkScheduled = new AtomicBoolean();

    /**
     * {@code threads} starts a new (virtual) thread for each task; {@code timers} runs the check for stalled writers;
     * a queue is written {@code writeDelay} after it became ready (zero: at once), so that more frames can join.
     */
    WriteScheduler(Executor threads, ScheduledExecutorService timers, Duration writeDelay) {
        this.threads = threads;
        this.timers = timers;
        this.writeDelayNanos = writeDelay.toNanos();
    }

    /** Puts a queue whose writing turn its caller holds on the ready list, starting a writer when none runs. */
    void schedule(OutboundQueue queue) {
        ready.add(queue);
        if (running.get() > 0) {
            detachStalledWriters();
        }
        startWriterIfNoneRuns();
    }

    /** Takes writers whose current write has lasted {@link #STALLED_NANOS} or more out of the running ones. */
    private void detachStalledWriters() {
        long now = System.nanoTime();
        for (Writer writer : writers) {
            long since = writer.writingSince;
            if (since != 0 && now - since >= STALLED_NANOS && writer.detached.compareAndSet(false, true)) {
                running.decrementAndGet();
            }
        }
    }

    private void startWriterIfNoneRuns() {
        if (!ready.isEmpty() && running.get() == 0 && running.compareAndSet(0, 1)) {
            Writer writer = new Writer();
            writers.add(writer);
            threads.execute(() -> run(writer));
            scheduleCheck();
        }
    }

    /** Runs the check after {@link #CHECK_MILLIS} unless it is already due. */
    private void scheduleCheck() {
        if (checkScheduled.compareAndSet(false, true)) {
            try {
                timers.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                checkScheduled.set(false);
            }
        }
    }

    /**
     * The timer's check, again and again while writers run and never while the node's sessions are idle: a writer
     * whose write has stalled stops counting as running (it stops after that write), and a new writer takes over
     * the waiting queues when no other runs.
     */
    private void check() {
        checkScheduled.set(false);
        detachStalledWriters();
        startWriterIfNoneRuns();
        if (running.get() > 0) {
            scheduleCheck();
        }
    }

    /**
     * Waits until the queue's write delay is over. The ready list is in order of readiness, so a writer waits at most
     * once per delay for the queues behind this one; a queue put back with more to write waits no more.
     */
    private void awaitWriteDelay(OutboundQueue queue) {
        if (writeDelayNanos == 0) {
            return;
        }
        long wait;
        while ((wait = queue.readySince() + writeDelayNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private void run(Writer writer) {
        try {
            while (true) {
                OutboundQueue queue;
                while (!writer.detached.get() && (queue = ready.poll()) != null) {
                    awaitWriteDelay(queue);
                    writer.writingSince = System.nanoTime();
                    boolean more;
                    try {
                        more = queue.writeRound();
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "a session's writes failed unexpectedly; its queue stops", e);
                        more = false;
                    } finally {
                        writer.writingSince = 0;
                    }
                    if (more) {
                        ready.add(queue);
                    }
                }
                if (!writer.detached.compareAndSet(false, true)) {
                    // the check took it out after a stalled write and another writer took over: the queue this one
                    // put back may still need one, though
                    startWriterIfNoneRuns();
                    return;
                }
                running.decrementAndGet();
                // a queue may have been put on the list after the last poll, seeing this writer still running
                if (ready.isEmpty()) {
                    return;
                }
                writer.detached.set(false);
                running.incrementAndGet();
            }
        } finally {
            writers.remove(writer);
        }
    }
}
