package io.dino.gateway.engine.redis;

import java.time.Duration;

/**
 * What the Redis engine needs from the configuration (docs/configuration.md: dino.redis.*,
 * dino.cluster.*, dino.history.*).
 *
 * @param uri                redis:// or rediss:// URI, with password and database if any
 * @param prefix             first part of every key, to share a Redis between deployments
 * @param commandTimeout     how long one Redis command may take before the operation fails as UNAVAILABLE
 * @param retainedPerLog     publications a log keeps (approximately: trimming works in whole nodes)
 * @param maxAge             publications older than this are dropped from logs, and a log idle for longer
 *                           expires as a whole (see Retention); zero keeps them
 * @param idempotencyWindow  how long an idempotency key is remembered
 * @param inboxMaxLength     entries a node inbox keeps for a node that stopped reading
 * @param heartbeatInterval  how often a node reports that it is alive
 * @param nodeTimeout        a node silent this long is dead: its sessions leave presence, with leave events
 */
public record RedisSettings(String uri, String prefix, Duration commandTimeout, int retainedPerLog, Duration maxAge,
                            Duration idempotencyWindow, int inboxMaxLength,
                            Duration heartbeatInterval, Duration nodeTimeout) {
}
