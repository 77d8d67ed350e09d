package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Receipts;
import io.dino.gateway.engine.ReceiptsContract;
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

/** The Redis engine's receipts pass the receipts contract against a real redis-server, plus where they are kept. */
class RedisReceiptsTest extends ReceiptsContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Receipts, String> prefixes = new IdentityHashMap<>();

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
    protected Receipts newReceipts() {
        String prefix = "receipts" + PREFIXES.incrementAndGet();
        Receipts receipts = engine("node-a", prefix, Duration.ZERO).receipts();
        prefixes.put(receipts, prefix);
        return receipts;
    }

    @Override
    protected Receipts otherNodeOf(Receipts receipts) {
        return engine("node-b", prefixes.get(receipts), Duration.ZERO).receipts();
    }

    private Engine engine(String node, String prefix, Duration maxAge) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, maxAge,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engines.add(engine);
        return engine;
    }

    @Test
    void markersAreKeptInTheLogsSlotAndExpireWithTheLogsIdleLifetime() {
        String prefix = "receipts" + PREFIXES.incrementAndGet();
        Receipts receipts = engine("node-a", prefix, Duration.ofHours(1)).receipts();
        receipts.mark(LogId.room("lobby"), "alice", Receipts.Kind.READ, "e1", 4);
        receipts.mark(LogId.user("bob"), "bob", Receipts.Kind.DELIVERED, "u1", 2);

        assertThat(direct.hgetall(prefix + ":{r:lobby}:receipts")).isEqualTo(Map.of("alice", "e1 4 4"));
        assertThat(direct.hgetall(prefix + ":{u:bob}:receipts")).isEqualTo(Map.of("bob", "u1 2 0"));
        // max-age one hour: the idle lifetime is the hour and a minute's margin
        assertThat(direct.pttl(prefix + ":{r:lobby}:receipts")).isBetween(3_600_000L, 3_660_000L);
        // without a max-age logs are kept, and so are their markers
        receipts = newReceipts();
        receipts.mark(LogId.room("kept"), "alice", Receipts.Kind.READ, "e1", 1);
        assertThat(direct.pttl(prefixes.get(receipts) + ":{r:kept}:receipts")).isEqualTo(-1L);
    }
}
