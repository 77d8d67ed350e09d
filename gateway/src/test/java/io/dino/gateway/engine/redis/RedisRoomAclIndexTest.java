package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RoomAclIndexContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The redis engine's index of rooms with a rule per action, against a real redis-server. */
class RedisRoomAclIndexTest extends RoomAclIndexContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private String prefix;

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
    protected Engine newEngine(String node, Duration maxAge) {
        prefix = "i" + PREFIXES.incrementAndGet();
        return RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, maxAge,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
    }

    @Test
    void theIndexIsOneSetPerActionNextToTheRules() {
        acls().set("lobby", Map.of("autojoin", "age=18:"));
        assertThat(direct.smembers(prefix + ":acl-rooms:autojoin")).containsExactly("lobby");
        acls().set("lobby", Map.of());
        assertThat(direct.smembers(prefix + ":acl-rooms:autojoin")).isEmpty();
    }

    @Test
    void anIndexEntryWithoutTheRuleIsNotAnswered() {
        // what a set that failed between its index write and its rules write leaves behind
        direct.sadd(prefix + ":acl-rooms:autojoin", "ghost");
        acls().set("lobby", Map.of("autojoin", "age=18:"));
        assertThat(acls().roomsWithRule("autojoin")).containsExactly("lobby");
    }
}
