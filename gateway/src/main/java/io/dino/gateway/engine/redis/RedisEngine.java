package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.InstantSource;

/**
 * Builds the Redis engine of one node: a lettuce client with four connections (commands, the blocking
 * inbox reader, the heartbeat, and the publish batcher's, which flushes by hand), the broker, the presence
 * store and the node registry.
 */
public final class RedisEngine {

    private RedisEngine() {
    }

    public static Engine start(String node, RedisSettings settings, InstantSource clock) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.commandTimeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                // fail commands at once while disconnected instead of queueing them: a publish must fail cleanly
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        StatefulRedisConnection<String, String> commands;
        StatefulRedisConnection<String, String> reader;
        StatefulRedisConnection<String, String> heartbeat;
        StatefulRedisConnection<String, String> publishing;
        try {
            commands = client.connect();
            reader = client.connect();
            heartbeat = client.connect();
            publishing = client.connect();
            // the publish batcher writes a whole batch, then flushes it at once; only its thread uses this one
            publishing.setAutoFlushCommands(false);
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort() + ": "
                    + e.getMessage(), e);
        }
        Keys keys = new Keys(settings.prefix());
        RedisBroker broker = new RedisBroker(node, keys, commands, reader, publishing, settings, clock);
        RedisPresenceStore presence = new RedisPresenceStore(node, keys, commands);
        NodeRegistry registry = new NodeRegistry(node, keys, heartbeat, commands, settings, broker, presence, clock);
        broker.owns(registry, client);
        return new Engine("redis", broker, presence, new RedisRooms(node, keys, commands, settings, broker, presence));
    }
}
