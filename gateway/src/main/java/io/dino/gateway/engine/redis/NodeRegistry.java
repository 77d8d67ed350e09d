package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Liveness of the cluster's nodes. Every node writes a heartbeat (its id scored by the time) every
 * interval, and looks for nodes whose heartbeat is older than the node timeout. One node (the first to
 * take a short lock) cleans up after a dead node: its sessions leave presence, with the leave events
 * its users would have caused, and its interest in logs is dropped. A node that finds itself missing
 * from the registry (taken for dead after a long pause or a Redis outage) puts its state back.
 */
final class NodeRegistry implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NodeRegistry.class.getName());

    private final String node;
    private final Keys keys;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisSettings settings;
    private final RedisBroker broker;
    private final RedisPresenceStore presence;
    private final InstantSource clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dino-heartbeat").factory());

    NodeRegistry(String node, Keys keys, StatefulRedisConnection<String, String> connection, RedisSettings settings,
                 RedisBroker broker, RedisPresenceStore presence, InstantSource clock) {
        this.node = node;
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.broker = broker;
        this.presence = presence;
        this.clock = clock;
    }

    void start() {
        // state left by an earlier run of a node with this id (a crash, a restart within the node timeout)
        RedisBroker.redis(() -> {
            reap(node);
            return null;
        });
        RedisBroker.redis(() -> sync().zadd(keys.nodes(), clock.millis(), node));
        long interval = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            boolean known = sync().zscore(keys.nodes(), node) != null;
            sync().zadd(keys.nodes(), clock.millis(), node);
            broker.reassertInterest();
            if (!known) {
                LOG.log(Level.WARNING, "node {0} had been taken for dead; restoring its presence", node);
                presence.reassert();
            }
            removeLeftovers();
            reapDeadNodes();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat failed: {0}", e.getMessage());
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
        if (presence.removeDeadEntry(owner, encoded) && entry.room() != null) {
            broker.announceMembership(entry.room(), entry.user(), false);
        }
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
    }

    private RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Stops heartbeats without deregistering, as a frozen or killed node would. */
    void stopBeating() {
        timer.shutdownNow();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            reap(node);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not deregister node {0}: {1}", node, e.getMessage());
        }
    }
}
