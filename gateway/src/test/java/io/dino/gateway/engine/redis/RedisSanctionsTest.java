package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.Sanctions.Kind;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.engine.SanctionsContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's bans and mutes pass the sanctions contract against a real redis-server, plus their key layout. */
class RedisSanctionsTest extends SanctionsContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Sanctions, String> prefixes = new IdentityHashMap<>();

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
    protected Sanctions newSanctions() {
        String prefix = "sanctions" + PREFIXES.incrementAndGet();
        Sanctions sanctions = engine("node-a", prefix).sanctions();
        prefixes.put(sanctions, prefix);
        return sanctions;
    }

    @Override
    protected Sanctions otherNodeOf(Sanctions sanctions) {
        return engine("node-b", prefixes.get(sanctions)).sanctions();
    }

    private Engine engine(String node, String prefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engines.add(engine);
        return engine;
    }

    @Test
    void sanctionsAreKeptInTheTargetsSlotAndBansIndexedInTheUsersSlot() {
        Sanctions sanctions = newSanctions();
        String prefix = prefixes.get(sanctions);
        sanctions.put(new Sanction(Kind.BAN, Target.room("lobby"), "bob", "mod", "spam", 5, 0));
        sanctions.put(new Sanction(Kind.MUTE, Target.room("lobby"), "bob", "mod", "", 5, 0));
        sanctions.put(new Sanction(Kind.BAN, Target.channel("games"), "bob", "mod", "", 5, 0));
        sanctions.put(new Sanction(Kind.BAN, Target.GLOBAL, "bob", "op", "", 5, 0));

        assertThat(direct.hgetall(prefix + ":{r:lobby}:bans")).isEqualTo(Map.of("bob", "0\n5\nmod\nspam"));
        assertThat(direct.hgetall(prefix + ":{r:lobby}:mutes")).containsOnlyKeys("bob");
        assertThat(direct.hgetall(prefix + ":{c:games}:bans")).containsOnlyKeys("bob");
        assertThat(direct.hgetall(prefix + ":{global}:bans")).containsOnlyKeys("bob");
        assertThat(direct.smembers(prefix + ":{u:bob}:bans")).containsExactlyInAnyOrder("room|lobby", "channel|games", "global|");
    }

    @Test
    void anIndexEntryWithoutItsBanIsNotAnsweredAndIsDropped() {
        Sanctions sanctions = newSanctions();
        String prefix = prefixes.get(sanctions);
        sanctions.put(new Sanction(Kind.BAN, Target.room("lobby"), "bob", "mod", "", 5, 0));
        // a put that stopped after its index step, and an entry of a shape this version does not know
        direct.sadd(prefix + ":{u:bob}:bans", "room|vip", "nonsense");

        assertThat(sanctions.bansOf("bob", 10)).extracting(Sanction::target).containsExactly(Target.room("lobby"));
        assertThat(direct.smembers(prefix + ":{u:bob}:bans")).containsExactlyInAnyOrder("room|lobby", "nonsense");
    }
}
