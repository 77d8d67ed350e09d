package io.dino.gateway.engine.redis;

import java.time.Duration;
import java.util.List;

/**
 * What the Redis engine needs from the configuration (docs/configuration.md: dino.redis.*,
 * dino.cluster.*, dino.history.*).
 *
 * @param uri                redis:// or rediss:// URI, with password and database if any (standalone Redis)
 * @param prefix             first part of every key, to share a Redis between deployments
 * @param commandTimeout     how long one Redis command may take before the operation fails as UNAVAILABLE
 * @param retainedPerLog     publications a log keeps (approximately: trimming works in whole nodes)
 * @param maxAge             publications older than this are dropped from logs, and a log idle for longer
 *                           expires as a whole (see Retention); zero keeps them
 * @param idempotencyWindow  how long an idempotency key is remembered
 * @param inboxMaxLength     entries a node inbox keeps for a node that stopped reading
 * @param heartbeatInterval  how often a node reports that it is alive
 * @param nodeTimeout        a node silent this long is dead: its sessions leave presence, with leave events
 * @param clusterNodes       seed URIs of a Redis Cluster; empty: a standalone Redis at {@code uri}
 * @param clusterRefresh     how often the cluster client re-reads the cluster's topology (besides the
 *                           refreshes that redirections and disconnections trigger)
 * @param waitReplicas       replicas that must have a publication before its publish is acknowledged (0: none)
 * @param waitTimeout        how long a publish waits for them
 */
public record RedisSettings(String uri, String prefix, Duration commandTimeout, int retainedPerLog, Duration maxAge,
                            Duration idempotencyWindow, int inboxMaxLength,
                            Duration heartbeatInterval, Duration nodeTimeout,
                            List<String> clusterNodes, Duration clusterRefresh, int waitReplicas, Duration waitTimeout) {

    public RedisSettings {
        clusterNodes = List.copyOf(clusterNodes);
    }

    /** A standalone Redis, publishes acknowledged without waiting for replicas. */
    public RedisSettings(String uri, String prefix, Duration commandTimeout, int retainedPerLog, Duration maxAge,
                         Duration idempotencyWindow, int inboxMaxLength, Duration heartbeatInterval, Duration nodeTimeout) {
        this(uri, prefix, commandTimeout, retainedPerLog, maxAge, idempotencyWindow, inboxMaxLength, heartbeatInterval,
                nodeTimeout, List.of(), Duration.ofSeconds(10), 0, Duration.ofMillis(500));
    }

    public boolean cluster() {
        return !clusterNodes.isEmpty();
    }

    /** The same settings on a Redis Cluster reached through {@code seeds}. */
    public RedisSettings onCluster(List<String> seeds, Duration refresh) {
        return new RedisSettings(uri, prefix, commandTimeout, retainedPerLog, maxAge, idempotencyWindow, inboxMaxLength,
                heartbeatInterval, nodeTimeout, seeds, refresh, waitReplicas, waitTimeout);
    }

    /** The same settings with publishes acknowledged once {@code replicas} replicas have them. */
    public RedisSettings waitingFor(int replicas, Duration timeout) {
        return new RedisSettings(uri, prefix, commandTimeout, retainedPerLog, maxAge, idempotencyWindow, inboxMaxLength,
                heartbeatInterval, nodeTimeout, clusterNodes, clusterRefresh, replicas, timeout);
    }
}
