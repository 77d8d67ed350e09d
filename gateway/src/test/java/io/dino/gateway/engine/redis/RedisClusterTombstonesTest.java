package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.TombstonesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis engine's tombstones pass the tombstones contract on a Redis Cluster of three masters: the script names
 * the tombstones, the log's meta and its stream, which must share the room's slot.
 */
class RedisClusterTombstonesTest extends TombstonesContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisCluster cluster;
    private final Map<Engine, String> prefixes = new IdentityHashMap<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Engine newEngine() {
        String prefix = "ct" + PREFIXES.incrementAndGet();
        Engine engine = engine("node-a", prefix);
        prefixes.put(engine, prefix);
        return engine;
    }

    @Override
    protected Engine otherNodeOf(Engine engine) {
        return engine("node-b", prefixes.get(engine));
    }

    private Engine engine(String node, String prefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(null, prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30))
                .onCluster(cluster.seeds(), Duration.ofSeconds(1)), InstantSource.system());
        engine.broker().start(new RecordingListener());
        return engine;
    }
}
