package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Builds the Redis engine of one node: a lettuce client with four connections (commands, the blocking
 * inbox reader, the heartbeat, and the publish batcher's, which flushes by hand), the broker, the presence store and the node registry. The client is a
 * {@link RedisClient} for a standalone Redis, a {@link RedisClusterClient} when seed nodes of a Redis
 * Cluster are configured; the engine above {@link Connection} is the same for both.
 */
public final class RedisEngine {

    /** Shortest time between two topology refreshes that redirections or lost connections trigger. */
    private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofMillis(500);

    private RedisEngine() {
    }

    /**
     * The events stream (docs/events.md).
     *
     * @param stream    its key; empty: {@code <prefix>:events}
     * @param maxLength entries kept at least ({@code MAXLEN ~})
     * @param queue     events waiting for the appender at most
     * @param lost      told how many accepted events a failed batch dropped
     */
    public record EventSettings(String stream, long maxLength, int queue, java.util.function.IntConsumer lost) {
        /** The defaults of {@code dino.events.*}, counting nothing. */
        public static final EventSettings DEFAULT = new EventSettings("", 1_000_000, 65_536, count -> {
        });
    }

    public static Engine start(String node, RedisSettings settings, InstantSource clock) {
        return start(node, settings, clock, EventSettings.DEFAULT);
    }

    /**
     * What the engine tells the node's meters (docs/operations.md): the inbox reader's lag and its failed reads.
     *
     * @param inboxLagMillis told, after each inbox read, how long the oldest entry it returned waited in the
     *                       inbox (0 when the read found nothing new)
     * @param inboxReadFailed told each time reading the inbox fails (Redis down, timed out or refusing)
     */
    public record Meters(java.util.function.LongConsumer inboxLagMillis, Runnable inboxReadFailed) {
        /** Counts nothing. */
        public static final Meters NONE = new Meters(millis -> {
        }, () -> {
        });
    }

    public static Engine start(String node, RedisSettings settings, InstantSource clock, EventSettings events) {
        return start(node, settings, clock, events, Meters.NONE);
    }

    public static Engine start(String node, RedisSettings settings, InstantSource clock, EventSettings events,
                               Meters meters) {
        AbstractRedisClient client = null;
        Connection appending;
        java.util.function.Supplier<Connection> readers;
        Connection commands;
        Connection reader;
        Connection heartbeat;
        Connection publishing;
        String where = settings.cluster() ? "Redis Cluster " + settings.clusterNodes() : "Redis at " + settings.uri();
        try {
            if (settings.cluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(settings.clusterNodes().stream()
                        .map(seed -> uri(seed, settings)).toList());
                client = cluster;
                cluster.setOptions(ClusterClientOptions.builder()
                        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                        // not REJECT_COMMANDS as standalone: the cluster client opens a connection to each master
                        // when a command first needs it, and would reject the commands that wait for it. Commands
                        // queued for a master that is down fail after the command timeout instead of at once
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(settings.clusterRefresh())
                                // MOVED, ASK, an uncovered slot, an unknown node, a node that keeps refusing
                                .enableAllAdaptiveRefreshTriggers()
                                .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_LIMIT)
                                .refreshTriggersReconnectAttempts(2)
                                .closeStaleConnections(true)
                                .build())
                        .build());
                commands = Connection.cluster(cluster.connect());
                reader = Connection.cluster(cluster.connect());
                heartbeat = Connection.cluster(cluster.connect());
                publishing = Connection.cluster(cluster.connect());
                appending = Connection.cluster(cluster.connect());
                readers = () -> Connection.cluster(cluster.connect());
            } else {
                RedisClient standalone = RedisClient.create(uri(settings.uri(), settings));
                client = standalone;
                standalone.setOptions(ClientOptions.builder()
                        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                        // fail commands at once while disconnected instead of queueing them: a publish must fail cleanly
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
                commands = Connection.standalone(standalone.connect());
                reader = Connection.standalone(standalone.connect());
                heartbeat = Connection.standalone(standalone.connect());
                publishing = Connection.standalone(standalone.connect());
                appending = Connection.standalone(standalone.connect());
                readers = () -> Connection.standalone(standalone.connect());
            }
            // the publish batcher writes a whole batch, then flushes it at once; only its thread uses this one
            publishing.flushByHand();
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            throw new IllegalStateException("cannot connect to " + where + ": " + e.getMessage(), e);
        }
        Keys keys = new Keys(settings.prefix());
        RedisBroker broker = new RedisBroker(node, keys, commands, reader, publishing, settings, clock, meters);
        RedisPresenceStore presence = new RedisPresenceStore(node, keys, commands, settings.commandTimeout(), clock);
        RedisNodes nodes = new RedisNodes(node, keys, commands, settings, clock);
        NodeRegistry registry = new NodeRegistry(node, keys, heartbeat, commands, settings, broker, presence, nodes, clock);
        broker.owns(registry, client, List.of(commands, heartbeat, publishing));
        return new Engine("redis", broker, presence, new RedisRooms(node, keys, commands, settings, broker, presence),
                new RedisRoomAcls(keys, commands), new RedisRoles(keys, commands, settings.commandTimeout()),
                new RedisDirectory(keys, commands, settings.commandTimeout(), claimGrace(settings)),
                new RedisReceipts(keys, commands, io.dino.gateway.engine.Retention.idleLifetime(settings.maxAge())),
                new RedisTombstones(keys, commands, settings),
                new RedisBlacklist(keys, commands),
                new RedisEventLog(events.stream().isBlank() ? settings.prefix() + ":events" : events.stream(),
                        events.maxLength(), events.queue(), settings.commandTimeout(), appending, readers, events.lost()),
                new RedisSanctions(keys, commands, settings.commandTimeout()),
                new RedisRevocations(keys, commands, settings.commandTimeout(), clock), nodes);
    }

    /**
     * How old a stale name claim must be before a create or rename takes it over: far beyond the time the two
     * steps of a create take (each bounded by the command timeout), so no claim still in use is taken.
     */
    static Duration claimGrace(RedisSettings settings) {
        Duration tenTimeouts = settings.commandTimeout().multipliedBy(10);
        return tenTimeouts.compareTo(Duration.ofSeconds(30)) > 0 ? tenTimeouts : Duration.ofSeconds(30);
    }

    private static RedisURI uri(String text, RedisSettings settings) {
        RedisURI uri = RedisURI.create(text);
        uri.setTimeout(settings.commandTimeout());
        return uri;
    }
}
