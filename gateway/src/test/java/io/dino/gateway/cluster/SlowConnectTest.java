package io.dino.gateway.cluster;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node slower than the auth timeout at verifying a {@code connect} it has already read (here: its Redis is
 * paused) must answer that connect, not disconnect the client with NOT_AUTHENTICATED and reconnect: false —
 * which would tell a well-behaved client never to come back.
 */
class SlowConnectTest {

    @Test
    void aConnectTheNodeIsStillVerifyingWhenTheAuthTimeoutFiresIsAnswered() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestNode node = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(),
                     "dino.redis.command-timeout", "PT10S", "dino.limits.auth-timeout", "PT1S"))) {
            EventRecorder events = new EventRecorder();
            DinoClient client = node.rawClient(events);
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                // Redis answers no command for 3 s: opening the session waits more than the 1 s auth timeout.
                connection.sync().clientPause(3000);

                JsonNode result = client.authenticate(node.token("slow")).get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

                assertThat(result.get("user").asText()).isEqualTo("slow");
                assertThat(client.ping().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).has("ts")).isTrue();
                assertThat(events.events("disconnect")).isEmpty();
            } finally {
                admin.shutdown();
            }
        }
    }
}
