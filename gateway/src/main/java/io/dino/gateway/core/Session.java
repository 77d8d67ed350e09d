package io.dino.gateway.core;

import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.SessionRef;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An authenticated connection as the core sees it. Changes to its membership (join, leave) and its
 * close may come from different threads (the connection's reader, a timer cutting off a slow consumer,
 * the control plane), so they run one at a time under the session's lock, and nothing changes a closed
 * session: a join racing a close can never re-add a session that is already gone. The lock is a
 * {@link ReentrantLock}, not a monitor, because changes wait on the engine (a virtual thread must not
 * pin its carrier). The room set is concurrent because fan-out reads it without the lock.
 */
public final class Session {

    private final SessionRef ref;
    // replaced by a refresh (its command thread, under the lock); read by every thread
    private volatile Principal principal;
    private final Outbound outbound;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final Set<String> beingTakenOut = ConcurrentHashMap.newKeySet();  // see markTakenOut
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;  // guarded by lock
    private java.util.concurrent.Future<?> expiryTimer;  // guarded by lock: the token's one pending timer (TokenOperations)
    private volatile UnechoedMessages unechoed; // created by the first send without echo
    private final long openedAt;

    /** A session whose opening time is unknown (0). */
    Session(SessionRef ref, Principal principal, Outbound outbound) {
        this(ref, principal, outbound, 0);
    }

    Session(SessionRef ref, Principal principal, Outbound outbound, long openedAt) {
        this.ref = ref;
        this.openedAt = openedAt;
        this.principal = principal;
        this.outbound = outbound;
    }

    public String id() {
        return ref.session();
    }

    public String user() {
        return ref.user();
    }

    /** When the session was authenticated, ms since the epoch. */
    public long openedAt() {
        return openedAt;
    }

    /** The connection's TCP peer ({@code address:port}), "" when unknown. */
    public String peer() {
        return outbound.peer();
    }

    /** The rooms the session is in, sorted (a snapshot). */
    public java.util.List<String> roomList() {
        return rooms.stream().sorted().toList();
    }

    public Principal principal() {
        return principal;
    }

    public SessionRef ref() {
        return ref;
    }

    Outbound outbound() {
        return outbound;
    }

    Set<String> rooms() {
        return rooms;
    }

    /** Runs a change of this session's state; refused with DISCONNECTED once the session is closed. */
    <T> T change(Supplier<T> change) {
        lock.lock();
        try {
            if (closed) {
                throw new DinoException(ErrorCode.DISCONNECTED, "the session is closed");
            }
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the session closed and runs the teardown, once: later calls do nothing and return false. */
    boolean close(Runnable teardown) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            cancelExpiryTimer();
            teardown.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the session's principal (a refreshed token of the same user) unless the session is closed; answers
     * the one replaced.
     */
    Principal replacePrincipal(Principal next) {
        return change(() -> {
            Principal before = principal;
            principal = next;
            return before;
        });
    }

    /**
     * Makes the timer {@code schedule} creates the session's pending expiry timer, cancelling the one before, if
     * {@code owner} is still the session's principal and the session is open; otherwise changes nothing (a timer of
     * a token the session no longer holds must not replace the current token's). The timer is created under the
     * session's lock, which {@link #replacePrincipal} takes too, so two reschedulings never leave two timers pending.
     */
    void replaceExpiryTimer(Principal owner, Supplier<java.util.concurrent.Future<?>> schedule) {
        lock.lock();
        try {
            if (!closed && principal == owner) {
                cancelExpiryTimer();
                expiryTimer = schedule.get();
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelExpiryTimer() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    /** The session's own message with this id is not to be delivered to it live (send with echo: false). */
    void skipEcho(String messageId) {
        UnechoedMessages skipped = unechoed;
        if (skipped == null) {
            lock.lock();
            try {
                skipped = unechoed;
                if (skipped == null) {
                    skipped = new UnechoedMessages();
                    unechoed = skipped;
                }
            } finally {
                lock.unlock();
            }
        }
        skipped.add(messageId);
    }

    /** True, once, for a message {@link #skipEcho} named: the fan-out leaves this session out. */
    boolean takesEchoSkip(String messageId) {
        UnechoedMessages skipped = unechoed;
        return skipped != null && skipped.take(messageId);
    }

    /**
     * A kick or ban has taken the session out of the room's fan-out and told it so; leaving the room itself (engine
     * calls) follows on another thread. Until then the session is still in the room, and a join must finish that
     * leave first rather than take the session for a member.
     */
    void markTakenOut(String room) {
        beingTakenOut.add(room);
    }

    /** Whether a kick or ban still has to take the session out of the room ({@link #markTakenOut}); clears it. */
    boolean clearTakenOut(String room) {
        return beingTakenOut.remove(room);
    }

    public boolean isIn(String room) {
        return rooms.contains(room);
    }

    public int roomCount() {
        return rooms.size();
    }
}
