package io.dino.gateway.cluster;

import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness follows Redis: not ready while it is unreachable, ready again when it is back; liveness stays up. */
class RedisReadinessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aNodeWithoutRedisIsNotReadyButStaysLive() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Options.DEFAULT);
             TestNode node = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(),
                     "dino.redis.command-timeout", "PT3S", "dino.cluster.heartbeat-interval", "PT0.5S",
                     "dino.cluster.node-timeout", "PT30S"))) {
            assertThat(status(node, "/observe/health/ready")).isEqualTo(200);

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(node, "/observe/health/ready") == 503);
            assertThat(status(node, "/observe/health/live")).isEqualTo(200);
            assertThat(body(node, "/observe/health")).contains("engineProblem");

            redis.restart();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(node, "/observe/health/ready") == 200);
            assertThat(status(node, "/observe/health/live")).isEqualTo(200);
        }
    }

    private static int status(TestNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.httpUri(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String body(TestNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.httpUri(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
