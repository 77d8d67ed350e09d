package io.dino.gateway.limits;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The rate limits one WebSocket connection's frames pass, in order: the session's {@code commands} budget
 * (every frame), then for a send its {@code sends} budget and its user's {@code user-sends}, for a join its
 * {@code joins} and {@code user-joins}. The first that has no token refuses the frame; the budgets it passed
 * before keep the token it took (a refused frame still cost the node its parsing and its error reply).
 *
 * <p>{@link #admit} runs on the connection's command threads, one command at a time (WsConnection starts each
 * and waits for it, which orders them), so the session's own buckets are plain {@link TokenBucket}s; the user's
 * are shared with the user's other sessions. {@link #close} may run on any thread.
 */
public final class SessionBudget {

    /**
     * Refusals are counted in fixed windows of this length (from the first refusal of a window): {@code flood-close}
     * of them within one window close the session.
     */
    public static final long FLOOD_WINDOW_NANOS = 10_000_000_000L;

    /** What a frame asks of the budgets. */
    public enum Cost { COMMAND, SEND, JOIN }

    private final SessionLimits limits;
    private final NanoClock clock;
    private final Limited.Listener listener;
    private final int floodClose;
    private final TokenBucket commands;
    private final TokenBucket sends;
    private final TokenBucket joins;
    // command threads only (one at a time, ordered by WsConnection)
    private int refusedInWindow;
    private long windowStart = Long.MIN_VALUE;
    private Limited lastRefusal;
    // set on the command thread of connect, taken by close on any thread
    private final AtomicReference<SessionLimits.UserBuckets> user = new AtomicReference<>();
    private volatile String userName;

    SessionBudget(SessionLimits limits, RateSettings settings, NanoClock clock, Limited.Listener listener) {
        this.limits = limits;
        this.clock = clock;
        this.listener = listener;
        this.floodClose = settings.floodClose();
        this.commands = bucket(settings.commands());
        this.sends = bucket(settings.sends());
        this.joins = bucket(settings.joins());
    }

    private static TokenBucket bucket(Rate rate) {
        return rate.unlimited() ? null : new TokenBucket(rate);
    }

    /** The session is now {@code user}'s: its sends and joins also draw from the user's buckets on this node. */
    public void authenticated(String user) {
        SessionLimits.UserBuckets buckets = limits.attach(user);
        if (buckets != null) {
            userName = user;
            this.user.set(buckets);
        }
    }

    /**
     * One frame: 0 when it may run, else the nanoseconds until it would be admitted (it must not run; the budget
     * that refused it is {@link #lastRefusal()}).
     */
    public long admit(Cost cost) {
        long now = clock.nanos();
        long wait = take(commands, now, Limited.COMMANDS);
        if (wait == 0 && cost != Cost.COMMAND) {
            SessionLimits.UserBuckets shared = user.get();
            wait = cost == Cost.SEND
                    ? take(sends, now, Limited.SENDS, shared == null ? null : shared.sends, Limited.USER_SENDS)
                    : take(joins, now, Limited.JOINS, shared == null ? null : shared.joins, Limited.USER_JOINS);
        }
        if (wait != 0) {
            if (windowStart == Long.MIN_VALUE || now - windowStart >= FLOOD_WINDOW_NANOS) {
                windowStart = now;
                refusedInWindow = 0;
            }
            refusedInWindow++;
            listener.refused(lastRefusal);
        }
        return wait;
    }

    private long take(TokenBucket own, long now, Limited ownKind, SharedTokenBucket shared, Limited sharedKind) {
        long wait = take(own, now, ownKind);
        if (wait != 0 || shared == null) {
            return wait;
        }
        wait = shared.tryTake(now);
        if (wait != 0) {
            lastRefusal = sharedKind;
        }
        return wait;
    }

    private long take(TokenBucket bucket, long now, Limited kind) {
        if (bucket == null) {
            return 0;
        }
        long wait = bucket.tryTake(now);
        if (wait != 0) {
            lastRefusal = kind;
        }
        return wait;
    }

    /** The budget that refused the last refused frame. */
    public Limited lastRefusal() {
        return lastRefusal;
    }

    /** Whether the frames refused within one {@link #FLOOD_WINDOW_NANOS} window reached {@code flood-close}. */
    public boolean flooding() {
        return floodClose > 0 && refusedInWindow >= floodClose;
    }

    /** Frames refused in the current window. */
    public int refusedInWindow() {
        return refusedInWindow;
    }

    /** The connection ended: its user's buckets on this node lose a session (and go with the last). Idempotent. */
    public void close() {
        if (user.getAndSet(null) != null) {
            limits.detach(userName);
        }
    }
}
