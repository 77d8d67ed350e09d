package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.RevocationsContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Redis engine's revoked tokens pass the revocations contract against a real redis-server, plus how they are kept. */
class RedisRevocationsTest extends RevocationsContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Revocations, String> prefixes = new IdentityHashMap<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        direct = client.connect().sync();
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    @Override
    protected Revocations newRevocations() {
        String prefix = "rev" + PREFIXES.incrementAndGet();
        Revocations revocations = engine("node-a", prefix).revocations();
        prefixes.put(revocations, prefix);
        return revocations;
    }

    @Override
    protected Revocations otherNodeOf(Revocations revocations) {
        return engine("node-b", prefixes.get(revocations)).revocations();
    }

    private Engine engine(String node, String prefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engines.add(engine);
        return engine;
    }

    @Test
    void revocationsAreOneHashInTheUsersSlotThatExpiresWithItsLatestUntil() {
        Revocations revocations = newRevocations();
        String key = prefixes.get(revocations) + ":{u:dave}:revoked";
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant inAnHour = now.plus(Duration.ofHours(1));
        Instant inTwoHours = now.plus(Duration.ofHours(2));
        revocations.revokeUser("dave", now, inAnHour);
        revocations.revokeToken("dave", "jti-1", inTwoHours);

        assertThat(direct.hgetall(key)).isEqualTo(Map.of(
                "u", now.toEpochMilli() + " " + inAnHour.toEpochMilli(),
                "t:jti-1", Long.toString(inTwoHours.toEpochMilli())));
        assertThat(direct.pexpiretime(key)).isEqualTo(inTwoHours.toEpochMilli());
        // a revocation that ends sooner does not shorten the hash's life
        revocations.revokeToken("dave", "jti-2", now.plusSeconds(60));
        assertThat(direct.pttl(key)).isCloseTo(Duration.ofHours(2).toMillis(), within(5_000L));
    }
}
