package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.DataWriter;
import io.helidon.websocket.WsSession;

import java.nio.charset.StandardCharsets;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The one write path of a connection: frames are queued by any thread and written in order by a
 * single writer at a time, as many as are waiting in one socket write (up to {@link #MAX_GATHERED_BYTES}). The writing
 * runs on the {@link WriteScheduler}'s threads, which a queue joins when frames arrive and leaves when it is empty: no
 * thread waits while a session is idle. The queue is bounded by frames and by their size; {@link #offer}
 * reports overflow so the connection can drop a slow consumer instead of buffering without end.
 *
 * <p>Size is counted in characters ({@code String.length()}): O(1) per frame, unlike UTF-8 bytes, which
 * matters because a fan-out offers the same frame to every member of a room. A frame counts until its
 * write returns, so a write blocked on a client that does not read still holds its share of the bound.
 */
final class OutboundQueue {

    private static final Logger LOG = System.getLogger(OutboundQueue.class.getName());

    /** A close frame to write after everything queued before it. */
    private record Close(int code, String reason) {
    }

    /** A WebSocket ping; the client's pong counts as activity, which keeps idle sessions open. */
    private enum Ping { INSTANCE }

    /** The answer to a client's ping, carrying its payload (RFC 6455 §5.5.3). */
    private record Pong(byte[] payload) {
    }

    /** A frame taken from the queue and encoded; {@code chars} is what it counts against the size bound. */
    private record Encoded(int opCode, byte[] payload, int chars) {
    }

    /** The most one gathered write holds, unless a single frame is larger: a backlog is written in pieces. */
    static final int MAX_GATHERED_BYTES = 64 * 1024;
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final WsSession socket;
    private final DataWriter wire;
    private final WriteScheduler scheduler;
    private final int capacity;
    private final long capacityChars;
    private final Runnable writeFailed;
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean closed;
    /** Written by the thread that takes the writing turn, read by the writer it hands the turn to. */
    private long readySince;
    /** Writer's turn only: a frame taken in the last round that did not fit into its write, first in the next. */
    private Encoded carried;

    /**
     * {@code wire} is the connection's serial writer ({@link SerialWriter}), which Helidon's own writes pass through
     * too; the close frame goes through {@code socket}. {@code writeFailed} runs when a write fails: the peer is
     * gone, and Helidon may not notice by itself.
     */
    OutboundQueue(WsSession socket, DataWriter wire, WriteScheduler scheduler, int capacity, long capacityChars,
                  Runnable writeFailed) {
        this.socket = socket;
        this.wire = wire;
        this.scheduler = scheduler;
        this.capacity = capacity;
        this.capacityChars = capacityChars;
        this.writeFailed = writeFailed;
    }

    /**
     * Queues a frame; false when the queue is full or closed (the frame is dropped). A frame larger than the
     * whole size bound still goes when nothing else is queued: frames are bounded by the reply and message
     * limits, and the session could otherwise never receive it.
     */
    boolean offer(String frame) {
        if (closed) {
            return false;
        }
        if (queuedFrames.incrementAndGet() > capacity) {
            queuedFrames.decrementAndGet();
            return false;
        }
        long chars = queuedChars.addAndGet(frame.length());
        if (chars > capacityChars && chars != frame.length()) {
            queuedChars.addAndGet(-frame.length());
            queuedFrames.decrementAndGet();
            return false;
        }
        items.add(frame);
        startWriting();
        return true;
    }

    /** Queues a ping unless the connection is closing. */
    void ping() {
        if (!closed) {
            items.add(Ping.INSTANCE);
            startWriting();
        }
    }

    /** Queues a pong unless the connection is closing (nothing may follow a close frame). */
    void pong(byte[] payload) {
        if (!closed) {
            items.add(new Pong(payload));
            startWriting();
        }
    }

    /**
     * Queues a last frame and the close; nothing queued after this is written. With {@code discardQueued},
     * frames still waiting are dropped first (a slow consumer must not delay its own disconnect).
     */
    void closeAfter(String lastFrame, int code, String reason, boolean discardQueued) {
        if (closed) {
            return;
        }
        closed = true;
        if (discardQueued) {
            items.clear();
            queuedFrames.set(0);
            queuedChars.set(0);
        }
        if (lastFrame != null) {
            items.add(lastFrame);
        }
        items.add(new Close(code, reason));
        startWriting();
    }

    boolean isClosed() {
        return closed;
    }

    private void startWriting() {
        if (writing.compareAndSet(false, true)) {
            readySince = System.nanoTime();
            scheduler.schedule(this);
        }
    }

    /** When the queue last became ready to write ({@link System#nanoTime()}), for the write delay. */
    long readySince() {
        return readySince;
    }

    /**
     * One round of writing, called by the {@link WriteScheduler}'s writer that holds this queue's turn: takes what is
     * queued, in order, up to about one gathered write ({@link #MAX_GATHERED_BYTES}; one write per frame made the write
     * system call most of a node's CPU under fan-out) and writes it. True when the turn is kept because more is
     * waiting: the scheduler then calls again. A close is written after the frames before it, through Helidon, which
     * then knows the close went out.
     */
    boolean writeRound() {
        GatheredWrite gathered = new GatheredWrite();
        if (carried != null) {
            gathered.add(carried.opCode(), carried.payload(), carried.chars());
            carried = null;
        }
        Object item;
        boolean full = false;
        while (!full && (item = items.poll()) != null) {
            switch (gather(item, gathered)) {
                case ADDED -> { }
                case FULL -> full = true;
                case CLOSED -> {
                    stop();
                    return false;
                }
            }
        }
        if (!flush(gathered)) {
            stop();
            return false;
        }
        if (carried != null || !items.isEmpty()) {
            return true;
        }
        writing.set(false);
        // a frame may have been queued after the last poll but before the flag was cleared
        return !items.isEmpty() && writing.compareAndSet(false, true);
    }

    private void stop() {
        items.clear();
        carried = null;
        closed = true;
        writing.set(false);
    }

    /** What became of an item taken from the queue. */
    private enum Gathered {
        /** Added to the gathered write. */
        ADDED,
        /** Did not fit: it is carried over to the next round, and this round's write is full. */
        FULL,
        /** The close went out (or a write failed): nothing more is written. */
        CLOSED
    }

    private Gathered gather(Object item, GatheredWrite gathered) {
        return switch (item) {
            case String frame -> add(gathered, new Encoded(GatheredWrite.OP_TEXT,
                    frame.getBytes(StandardCharsets.UTF_8), frame.length()));
            case Ping ignored -> add(gathered, new Encoded(GatheredWrite.OP_PING, NO_PAYLOAD, 0));
            case Pong pong -> add(gathered, new Encoded(GatheredWrite.OP_PONG, pong.payload(), 0));
            case Close close -> {
                if (flush(gathered)) {
                    closeSocket(close);
                }
                yield Gathered.CLOSED;
            }
            default -> throw new IllegalStateException("unexpected " + item);
        };
    }

    private Gathered add(GatheredWrite gathered, Encoded frame) {
        if (!gathered.isEmpty()
                && gathered.length() + GatheredWrite.encodedLength(frame.payload().length) > MAX_GATHERED_BYTES) {
            carried = frame;
            return Gathered.FULL;
        }
        gathered.add(frame.opCode(), frame.payload(), frame.chars());
        return Gathered.ADDED;
    }

    /** Writes what is gathered in one socket write; false when the write failed (the peer is gone). */
    private boolean flush(GatheredWrite gathered) {
        if (gathered.isEmpty()) {
            return true;
        }
        try {
            wire.writeNow(gathered.buffer());
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "write failed, dropping the rest of the queue", e);
            writeFailed.run();
            return false;
        } finally {
            release(gathered.textFrames(), gathered.chars());
            gathered.clear();
        }
    }

    /** Frames count against the bounds until their write returns. */
    private void release(int frames, long chars) {
        queuedFrames.addAndGet(-frames);
        queuedChars.addAndGet(-chars);
    }

    private void closeSocket(Close close) {
        try {
            socket.close(close.code(), close.reason());
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "writing the close frame failed", e);
            writeFailed.run();
        }
    }
}
