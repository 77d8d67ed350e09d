package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.RevocationsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The Redis engine's revoked tokens pass the revocations contract on a Redis Cluster of three masters (one slot per user). */
class RedisClusterRevocationsTest extends RevocationsContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisCluster cluster;
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Revocations, String> prefixes = new IdentityHashMap<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    @Override
    protected Revocations newRevocations() {
        String prefix = "crev" + PREFIXES.incrementAndGet();
        Revocations revocations = engine("node-a", prefix).revocations();
        prefixes.put(revocations, prefix);
        return revocations;
    }

    @Override
    protected Revocations otherNodeOf(Revocations revocations) {
        return engine("node-b", prefixes.get(revocations)).revocations();
    }

    private Engine engine(String node, String prefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(null, prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30))
                .onCluster(cluster.seeds(), Duration.ofSeconds(1)), InstantSource.system());
        engines.add(engine);
        return engine;
    }
}
