package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RoomsAdmissionContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/** Capacity and membership events of the Redis engine's joins (join.lua), against a real redis-server. */
class RedisRoomsAdmissionTest extends RoomsAdmissionContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Engine newEngine(String node) {
        // each engine gets an empty keyspace
        return RedisEngine.start(node, new RedisSettings(redis.uri(), "adm" + PREFIXES.incrementAndGet(), Duration.ofSeconds(2),
                100, Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)),
                InstantSource.system());
    }
}
