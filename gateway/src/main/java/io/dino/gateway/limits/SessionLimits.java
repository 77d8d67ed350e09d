package io.dino.gateway.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rate limits of the WebSocket sessions of this node: hands each connection its {@link SessionBudget}, and
 * keeps the per-user buckets the budgets of one user's sessions share.
 *
 * <p>The per-user limits are <b>per node</b>: a user's sessions on different nodes draw from different buckets,
 * so a user with sessions on N nodes may send up to N times {@code user-sends}. A cluster-wide count would cost
 * a Redis round trip per message, which the send path does not make (it makes no engine call before the
 * publish). Each session is still bound by its own limits wherever it is.
 */
public final class SessionLimits {

    private final RateSettings settings;
    private final NanoClock clock;
    private final Limited.Listener listener;
    private final boolean perUser;
    // entries live while the user has a session on the node: created by the first, removed with the last
    private final ConcurrentMap<String, UserBuckets> users = new ConcurrentHashMap<>();

    public SessionLimits(RateSettings settings, NanoClock clock, Limited.Listener listener) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.perUser = !settings.userSends().unlimited() || !settings.userJoins().unlimited();
    }

    /** A budget for a new connection; {@link SessionBudget#authenticated} adds its user's shared buckets. */
    public SessionBudget newSession() {
        return new SessionBudget(this, settings, clock, listener);
    }

    /** Users whose per-user buckets are kept: those with a session on this node, and those that left owing tokens. */
    public int trackedUsers() {
        return users.size();
    }

    UserBuckets attach(String user) {
        if (!perUser) {
            return null;
        }
        return users.compute(user, (name, buckets) -> {
            UserBuckets held = buckets == null ? new UserBuckets(settings) : buckets;
            held.sessions++;
            return held;
        });
    }

    /**
     * The user's session ended. With it the last, the user's buckets are kept while they still owe tokens, so a
     * client cannot refill its user budget by reconnecting; {@link #sweep} drops them once refilled.
     */
    void detach(String user) {
        long now = clock.nanos();
        users.computeIfPresent(user, (name, buckets) -> --buckets.sessions == 0 && buckets.full(now) ? null : buckets);
    }

    /** Drops the buckets of users without a session on the node whose buckets are full again. Any thread. */
    public void sweep() {
        long now = clock.nanos();
        users.forEach((user, ignored) -> users.computeIfPresent(user,
                (name, buckets) -> buckets.sessions == 0 && buckets.full(now) ? null : buckets));
    }

    /** The buckets all sessions of one user on this node share; unlimited ones are null. */
    static final class UserBuckets {
        final SharedTokenBucket sends;
        final SharedTokenBucket joins;
        int sessions;  // guarded by the map's compute of the user's entry

        UserBuckets(RateSettings settings) {
            this.sends = settings.userSends().unlimited() ? null : new SharedTokenBucket(settings.userSends());
            this.joins = settings.userJoins().unlimited() ? null : new SharedTokenBucket(settings.userJoins());
        }

        boolean full(long now) {
            return (sends == null || sends.full(now)) && (joins == null || joins.full(now));
        }
    }
}
