package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Blacklist;
import io.dino.gateway.engine.BlacklistContract;
import io.dino.gateway.engine.Engine;
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

/** The Redis engine's blacklist passes the blacklist contract against a real redis-server; its keys share one slot. */
class RedisBlacklistTest extends BlacklistContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Blacklist, String> prefixes = new IdentityHashMap<>();

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
    protected Blacklist newBlacklist() {
        String prefix = "bl" + PREFIXES.incrementAndGet();
        Blacklist blacklist = engine("node-a", prefix).blacklist();
        prefixes.put(blacklist, prefix);
        return blacklist;
    }

    @Override
    protected Blacklist otherNodeOf(Blacklist blacklist) {
        return engine("node-b", prefixes.get(blacklist)).blacklist();
    }

    private Engine engine(String node, String prefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engines.add(engine);
        return engine;
    }

    @Test
    void theWordsAndTheVersionLiveInOneSlot() {
        Blacklist blacklist = newBlacklist();
        String prefix = prefixes.get(blacklist);
        blacklist.add(List.of("alpha", "beta"));
        assertThat(direct.smembers(prefix + ":{blacklist}:words")).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(direct.get(prefix + ":{blacklist}:version")).isEqualTo("1");
    }
}
