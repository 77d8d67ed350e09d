package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The one write path of a connection: frames are queued by any thread and written in order by a
 * single writer at a time. No thread waits while a session is idle: a writer task starts when frames
 * arrive and ends when the queue is empty. The queue is bounded by frames and by their size; {@link #offer}
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

    private final WsSession socket;
    private final Executor writers;
    private final int capacity;
    private final long capacityChars;
    private final Runnable writeFailed;
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean closed;

    /** {@code writeFailed} runs when a write fails: the peer is gone, and Helidon may not notice by itself. */
    OutboundQueue(WsSession socket, Executor writers, int capacity, long capacityChars, Runnable writeFailed) {
        this.socket = socket;
        this.writers = writers;
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
            writers.execute(this::writeAll);
        }
    }

    private void writeAll() {
        while (true) {
            Object item;
            while ((item = items.poll()) != null) {
                if (!write(item)) {
                    items.clear();
                    closed = true;
                    writing.set(false);
                    return;
                }
            }
            writing.set(false);
            // a frame may have been queued after the last poll but before the flag was cleared
            if (items.isEmpty() || !writing.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private boolean write(Object item) {
        try {
            switch (item) {
                case String frame -> {
                    try {
                        socket.send(frame, true);
                    } finally {
                        queuedFrames.decrementAndGet();
                        queuedChars.addAndGet(-frame.length());
                    }
                }
                case Ping ignored -> socket.ping(BufferData.empty());
                case Pong pong -> socket.pong(BufferData.create(pong.payload()));
                case Close close -> {
                    socket.close(close.code(), close.reason());
                    return false;
                }
                default -> throw new IllegalStateException("unexpected " + item);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "write failed, dropping the rest of the queue", e);
            writeFailed.run();
            return false;
        }
    }
}
