package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Every write to one WebSocket connection, one at a time: the {@link OutboundQueue}'s gathered writes and the frames
 * Helidon writes by itself (the close frames it answers a client's close or a refused frame with) pass through here,
 * so a write is never interleaved with another's bytes. A {@link ReentrantLock}, not a monitor: a write blocks on
 * the socket, and a virtual thread blocked inside a monitor pins its carrier on JDK 21.
 */
final class SerialWriter implements DataWriter {

    private final DataWriter socket;
    private final ReentrantLock lock = new ReentrantLock();

    SerialWriter(DataWriter socket) {
        this.socket = socket;
    }

    @Override
    public void write(BufferData... buffers) {
        lock.lock();
        try {
            socket.write(buffers);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(BufferData buffer) {
        lock.lock();
        try {
            socket.write(buffer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        lock.lock();
        try {
            socket.writeNow(buffers);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        lock.lock();
        try {
            socket.writeNow(buffer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            socket.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
