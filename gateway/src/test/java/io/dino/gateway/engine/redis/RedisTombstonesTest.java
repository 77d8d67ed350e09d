package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.Tombstones.Mark;
import io.dino.gateway.engine.TombstonesContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's tombstones pass the tombstones contract against a real redis-server, plus their keys and lifetime. */
class RedisTombstonesTest extends TombstonesContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final Map<Engine, String> prefixes = new IdentityHashMap<>();

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

    @Override
    protected Engine newEngine() {
        String prefix = "tomb" + PREFIXES.incrementAndGet();
        Engine engine = engine("node-a", prefix, Duration.ZERO);
        prefixes.put(engine, prefix);
        return engine;
    }

    @Override
    protected Engine otherNodeOf(Engine engine) {
        return engine("node-b", prefixes.get(engine), Duration.ZERO);
    }

    private static Engine engine(String node, String prefix, Duration maxAge) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, maxAge,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engine.broker().start(new RecordingListener());
        return engine;
    }

    @Test
    void tombstonesAreOneHashInTheRoomsSlotExpiringWithTheLogsItCoversUnderAMaxAge() {
        String prefix = "tomb-ttl" + PREFIXES.incrementAndGet();
        try (Engine engine = engine("node-a", prefix, Duration.ofSeconds(10))) {
            Publication sent = engine.broker().publish(LogId.room("lobby"), new Draft("m1", "alice", System.currentTimeMillis(), "1", ""));
            engine.tombstones().deleteMessages("lobby", List.of(new Mark("m1", "alice", sent.position())));
            engine.tombstones().deleteAllUpTo("lobby", sent.position());

            String key = prefix + ":{r:lobby}:deleted";
            Position at = sent.position();
            assertThat(direct.hgetall(key)).isEqualTo(Map.of("m:m1", at.epoch() + " " + at.offset() + " alice",
                    "all", at.epoch() + " " + at.offset()));
            // twice the idle lifetime of a log with a max-age of 10 s (20 s)
            assertThat(direct.pttl(key)).isBetween(30_000L, 40_000L);
        }
    }

    @Test
    void withoutAMaxAgeTheTombstonesAreKept() {
        Engine engine = newEngine();
        Publication sent = engine.broker().publish(LogId.room("kept"), new Draft("k1", "bob", System.currentTimeMillis(), "1", ""));
        engine.tombstones().deleteUserUpTo("kept", "bob", sent.position());
        assertThat(direct.pttl(prefixes.get(engine) + ":{r:kept}:deleted")).isEqualTo(-1L);
        engine.close();
    }
}
