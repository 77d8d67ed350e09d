package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.util.function.Function;

/**
 * One connection of the engine to Redis, standalone or Redis Cluster. The engine is written against lettuce's
 * cluster command interfaces ({@link RedisClusterCommands}, {@link RedisClusterAsyncCommands}), which the
 * standalone ones extend; on a cluster, lettuce routes every command by the slot of its key, follows
 * {@code MOVED} and {@code ASK}, and refreshes its view of the topology (see {@link RedisEngine}). Every
 * command and script of the engine names keys of one slot, so routing by key is all it needs.
 */
final class Connection implements AutoCloseable {

    private final StatefulConnection<String, String> stateful;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final Function<String, RedisClusterAsyncCommands<String, String>> serverOfKey;

    private Connection(StatefulConnection<String, String> stateful, RedisClusterCommands<String, String> sync,
                       RedisClusterAsyncCommands<String, String> async,
                       Function<String, RedisClusterAsyncCommands<String, String>> serverOfKey) {
        this.stateful = stateful;
        this.sync = sync;
        this.async = async;
        this.serverOfKey = serverOfKey;
    }

    static Connection standalone(StatefulRedisConnection<String, String> connection) {
        return new Connection(connection, connection.sync(), connection.async(), key -> connection.async());
    }

    static Connection cluster(StatefulRedisClusterConnection<String, String> connection) {
        return new Connection(connection, connection.sync(), connection.async(), key -> {
            RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (master == null) {
                throw new EngineUnavailableException("Redis Cluster: no master serves the slot of " + key);
            }
            RedisURI uri = master.getUri();
            // the same per-node connection lettuce routes the slot's commands through (it keys them by host and port)
            return RedisBroker.redis(() -> connection.getConnection(uri.getHost(), uri.getPort()).async());
        });
    }

    /** Whether lettuce holds the connection open now (false while it is reconnecting): no round trip. */
    boolean isOpen() {
        return stateful.isOpen();
    }

    RedisClusterCommands<String, String> sync() {
        return sync;
    }

    RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /**
     * Commands to the one server that serves the key's slot as lettuce sees it now, on the connection lettuce
     * routes that slot's commands through: what {@code WAIT} needs, since it counts the replicas that have the
     * writes of the connection it is sent on. Standalone, this is the connection itself.
     */
    RedisClusterAsyncCommands<String, String> serverOf(String key) {
        return serverOfKey.apply(key);
    }

    /**
     * From now on commands are written only by {@link #flush()}: a whole batch goes out in one write. Only one
     * thread may then use the connection.
     */
    void flushByHand() {
        stateful.setAutoFlushCommands(false);
    }

    /** Writes the commands issued since the last flush (with {@link #flushByHand()}). */
    void flush() {
        stateful.flushCommands();
    }

    @Override
    public void close() {
        stateful.close();
    }
}
