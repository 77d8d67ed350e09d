package io.dino.gateway.core;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ids of a session's own room messages that it asked not to receive live ({@code send} with {@code echo: false}).
 * An id is taken out when its message reaches the fan-out, normally milliseconds after the send; the bound
 * only matters for messages that never come back (a publish that failed, a room left meanwhile): the oldest
 * id is forgotten, and at worst that message is echoed after all.
 */
final class UnechoedMessages {

    private static final int MAX_PENDING = 256;

    private final ArrayDeque<String> ids = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    void add(String id) {
        lock.lock();
        try {
            if (ids.size() == MAX_PENDING) {
                ids.removeFirst();
            }
            ids.addLast(id);
        } finally {
            lock.unlock();
        }
    }

    boolean take(String id) {
        lock.lock();
        try {
            return !ids.isEmpty() && ids.remove(id);
        } finally {
            lock.unlock();
        }
    }
}
