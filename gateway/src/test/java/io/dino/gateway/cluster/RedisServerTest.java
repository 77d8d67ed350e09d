package io.dino.gateway.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link RedisServer} fixture: a real server that serves, crashes, restarts and persists as asked. */
class RedisServerTest {

    @Test
    void servesCommandsOnItsLoopbackUri() {
        try (RedisServer redis = RedisServer.start();
             RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set("greeting", "hello");

            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(connection.sync().get("greeting")).isEqualTo("hello");
            assertThat(connection.sync().configGet("bind", "appendonly", "save", "maxmemory")).isEqualTo(Map.of(
                    "bind", "127.0.0.1", "appendonly", "no", "save", "", "maxmemory", "0"));
        }
    }

    @Test
    void optionsTurnOnTheAppendOnlyFileAndAMemoryLimit() {
        RedisServer.Options options = RedisServer.Options.DEFAULT.withAppendOnly(true).withMaxMemory("64mb");
        try (RedisServer redis = RedisServer.start(options);
             RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().configGet("appendonly", "appendfsync", "maxmemory")).isEqualTo(Map.of(
                    "appendonly", "yes", "appendfsync", "always", "maxmemory", Long.toString(64L * 1024 * 1024)));
        }
    }

    @Test
    void withAppendOnlyAKeyWrittenBeforeAKillIsThereAfterRestart() {
        try (RedisServer redis = RedisServer.start(RedisServer.Options.DEFAULT.withAppendOnly(true));
             RedisClient client = RedisClient.create(redis.uri())) {
            set(client, "survivor", "written-before-the-crash");
            int port = redis.port();

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThat(FixtureSupport.accepts(port)).as("port %d after kill -9", port).isFalse();

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(get(client, "survivor")).isEqualTo("written-before-the-crash");
        }
    }

    @Test
    void withoutAppendOnlyAKeyIsGoneAfterKillAndRestart() {
        try (RedisServer redis = RedisServer.start();
             RedisClient client = RedisClient.create(redis.uri())) {
            set(client, "ephemeral", "lost-in-the-crash");

            redis.kill();
            redis.restart();

            assertThat(get(client, "ephemeral")).isNull();
        }
    }

    @Test
    void stopShutsTheServerDownAndFreesThePort() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(FixtureSupport.accepts(redis.port())).isTrue();

            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            assertThat(FixtureSupport.accepts(redis.port())).isFalse();
        }
    }

    @Test
    void aServerThatCannotStartFailsWithItsLogInTheMessage() {
        assertThatThrownBy(() -> RedisServer.start(RedisServer.Options.DEFAULT.withMaxMemory("not-a-size")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-server did not start")
                .hasMessageContaining("not-a-size");
    }

    @Test
    void aMissingBinaryFailsWithHowToInstallIt() {
        Path nowhere = Path.of("/nonexistent/bin/redis-server");

        assertThatThrownBy(() -> RedisServer.findBinary(List.of(nowhere)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "redis-server not found: install the Debian package redis-server (./dino test installs it)")
                .hasMessageContaining(nowhere.toString());
    }

    private static void set(RedisClient client, String key, String value) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().set(key, value)).isEqualTo("OK");
        }
    }

    private static String get(RedisClient client, String key) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().get(key);
        }
    }
}
