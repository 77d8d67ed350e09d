package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.RoomsOfKindContract;
import io.dino.gateway.engine.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis engine lists the rooms of a kind on a Redis Cluster of three masters: the kind's index is a key of its
 * own slot and the records it names spread over the others.
 */
class RedisClusterRoomsOfKindTest extends RoomsOfKindContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisCluster cluster;
    private final List<Engine> opened = new ArrayList<>();

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
        opened.forEach(Engine::close);
    }

    @Override
    protected Directory newDirectory() {
        Engine engine = RedisEngine.start("node-a", new RedisSettings(null, "ck" + PREFIXES.incrementAndGet(),
                Duration.ofSeconds(2), 100, Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200),
                Duration.ofSeconds(30)).onCluster(cluster.seeds(), Duration.ofSeconds(1)), InstantSource.system());
        opened.add(engine);
        return engine.directory();
    }
}
