package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Liveness of the cluster's nodes. Every node writes a heartbeat (its id scored by the time) every
 * interval, on a thread and a connection of its own, so that nothing else the node does can delay it and
 * get a healthy node declared dead. Housekeeping runs on a second thread: it looks for nodes whose
 * heartbeat is older than the node timeout, and one node (the first to take a short lock) cleans up after a
 * dead node: its sessions leave presence, with the leave events its users would have caused, and its
 * interest in logs is dropped. It also makes this node's recorded interest match what it delivers, and
 * removes presence entries whose removal failed. A node that finds itself missing from the registry (taken
 * for dead after a long pause or a Redis outage) puts its state back.
 */
final class NodeRegistry implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NodeRegistry.class.getName());
    /** Every this many rounds, housekeeping re-adds all interest, in case a cleanup stopped half way. */
    private static final int FULL_INTEREST_EVERY = 12;

    private final String node;
    private final Keys keys;
    private final Connection heartbeatConnection;
    private final Connection connection;
    private final RedisSettings settings;
    private final RedisBroker broker;
    private final RedisPresenceStore presence;
    private final InstantSource clock;
    private final RedisNodes nodes;
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dino-heartbeat").factory());
    private final ScheduledExecutorService housekeeping =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dino-housekeeping").factory());
    private final AtomicBoolean takenForDead = new AtomicBoolean();
    private int rounds;  // housekeeping thread only
    /** System.nanoTime() of the last heartbeat Redis acknowledged: what readiness looks at. */
    private volatile long lastBeatNanos = System.nanoTime();

    NodeRegistry(String node, Keys keys, Connection heartbeatConnection,
                 Connection connection, RedisSettings settings,
                 RedisBroker broker, RedisPresenceStore presence, RedisNodes nodes, InstantSource clock) {
        this.node = node;
        this.keys = keys;
        this.heartbeatConnection = heartbeatConnection;
        this.connection = connection;
        this.settings = settings;
        this.broker = broker;
        this.presence = presence;
        this.clock = clock;
        this.nodes = nodes;
        nodes.onReportSoon(() -> {
            try {
                housekeeping.execute(this::reportLoad);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the node is stopping: nothing to report
            }
        });
    }

    void start() {
        // state left by an earlier run of a node with this id (a crash, a restart within the node timeout)
        RedisBroker.redis(() -> {
            reap(node);
            return null;
        });
        RedisBroker.redis(() -> heartbeatConnection.sync().zadd(keys.nodes(), clock.millis(), node));
        lastBeatNanos = System.nanoTime();
        long interval = settings.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::keepHouse, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Adding with NX tells in the same command whether the node was still registered; a node that was not
     * had been taken for dead, and housekeeping puts its state back. The update is XX, so a node removed
     * between the two commands is not silently re-added: the next beat sees it.
     */
    private void beat() {
        try {
            RedisClusterCommands<String, String> redis = heartbeatConnection.sync();
            long now = clock.millis();
            if (redis.zadd(keys.nodes(), ZAddArgs.Builder.nx(), now, node) == 1) {
                takenForDead.set(true);
            } else {
                redis.zadd(keys.nodes(), ZAddArgs.Builder.xx(), now, node);
            }
            lastBeatNanos = System.nanoTime();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat failed: {0}", e.getMessage());
        }
    }

    /**
     * Why this node cannot serve now, or empty when it can: its heartbeat connection is down (lettuce's
     * connection state, seen at once) or no heartbeat has succeeded for two heartbeat intervals plus the
     * command timeout (a Redis that accepts connections but does not answer). No Redis round trip.
     */
    java.util.Optional<String> problem() {
        if (!heartbeatConnection.isOpen()) {
            return java.util.Optional.of("not connected to Redis");
        }
        long limit = settings.heartbeatInterval().multipliedBy(2).plus(settings.commandTimeout()).toNanos();
        long age = System.nanoTime() - lastBeatNanos;
        return age > limit
                ? java.util.Optional.of("no Redis heartbeat succeeded for " + java.time.Duration.ofNanos(age).toMillis() + " ms")
                : java.util.Optional.empty();
    }

    private void keepHouse() {
        try {
            boolean restore = takenForDead.getAndSet(false);
            if (restore) {
                LOG.log(Level.WARNING, "node {0} had been taken for dead; restoring its presence and interest", node);
                try {
                    for (RedisPresenceStore.Entry back : presence.reassert()) {
                        if (announces(back.room())) {
                            broker.announceMembership(back.room(), back.user(), true);
                        }
                    }
                } catch (RuntimeException e) {
                    takenForDead.set(true);  // the next round tries again
                    throw e;
                }
            }
            broker.reconcileInterest(restore || ++rounds % FULL_INTEREST_EVERY == 0);
            removeLeftovers();
            reapDeadNodes();
            broker.trimInbox();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "housekeeping failed: {0}", e.getMessage());
        }
        reportLoad();
    }

    /** This node's load report for operators (housekeeping thread only): once per round, never per message. */
    private void reportLoad() {
        try {
            nodes.report();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not report node {0}''s load: {1}", node, e.getMessage());
        }
    }

    private void reapDeadNodes() {
        long deadline = clock.millis() - settings.nodeTimeout().toMillis();
        List<String> dead = sync().zrangebyscore(keys.nodes(), Range.create(0, deadline));
        for (String deadNode : dead) {
            if (deadNode.equals(node)) {
                continue;
            }
            String locked = sync().set(keys.nodeReaperLock(deadNode), node,
                    SetArgs.Builder.nx().px(settings.nodeTimeout().toMillis()));
            if ("OK".equals(locked)) {
                LOG.log(Level.INFO, "node {0} missed its heartbeats; removing its sessions", deadNode);
                reap(deadNode);
            }
        }
    }

    /** Presence entries whose removal failed (Redis was down when the session closed). */
    private void removeLeftovers() {
        for (String encoded : presence.leftoverEntries()) {
            removeEntry(node, encoded);
            sync().srem(keys.nodePresence(node), encoded);
        }
    }

    private void removeEntry(String owner, String encoded) {
        RedisPresenceStore.Entry entry = RedisPresenceStore.Entry.decode(owner, encoded);
        long removed = presence.removeDeadEntry(owner, encoded);
        if (removed != 0 && entry.room() != null && announces(entry.room())) {
            broker.announceMembership(entry.room(), entry.user(), false,
                    removed == 2 ? io.dino.gateway.engine.Audience.OPERATORS : io.dino.gateway.engine.Audience.EVERYONE);
        }
    }

    /** Whether the room's members hear of joins and leaves (a registered room may be without): one read, on this rare path. */
    private boolean announces(String room) {
        return DirectoryCodec.membershipEvents(sync().hget(keys.roomRecord(room), "events"));
    }

    /** Removes everything a node left in Redis: presence (with leave events), interest, its inbox. */
    private void reap(String deadNode) {
        Set<String> entries = sync().smembers(keys.nodePresence(deadNode));
        if (!entries.isEmpty()) {
            LOG.log(Level.INFO, "removing {0} presence entries of node {1}", entries.size(), deadNode);
        }
        for (String encoded : entries) {
            removeEntry(deadNode, encoded);
        }
        for (String token : sync().smembers(keys.nodeInterest(deadNode))) {
            LogId log = Keys.tokenToLog(token);
            sync().srem(keys.interest(log), deadNode);
        }
        sync().del(keys.nodePresence(deadNode), keys.nodeInterest(deadNode), keys.inbox(deadNode));
        sync().zrem(keys.nodes(), deadNode);
        nodes.forget(deadNode);
    }

    private RedisClusterCommands<String, String> sync() {
        return connection.sync();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        housekeeping.shutdownNow();
        try {
            reap(node);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not deregister node {0}: {1}", node, e.getMessage());
        }
    }
}
