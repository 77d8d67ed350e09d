package io.dino.gateway.cluster;

import io.dino.client.DinoClient;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@link NodeProcess} fixture: a gateway in its own JVM that is ready, takes WebSocket clients,
 * and is really gone after a kill. Runs on the memory engine, which needs no Redis.
 */
class NodeProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aNodeInItsOwnJvmIsReadyTakesClientsAndIsGoneAfterKill() throws Exception {
        try (NodeProcess node = NodeProcess.start("memory", null, "proc-node-1", Map.of())) {
            long pid = node.pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(node.httpUri("/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"").contains("memory");

            DinoClient client = DinoClient.builder(node.wsUri()).connect(NodeProcess.token("alice"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try (client) {
                assertThat(client.connectResult().get("user").asText()).isEqualTo("alice");
                assertThat(client.connectResult().get("node").asText()).isEqualTo("proc-node-1");

                int exitCode = node.kill();

                assertThat(exitCode).isEqualTo(137); // 128 + SIGKILL
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
                assertThatThrownBy(() -> new Socket("127.0.0.1", node.port()).close())
                        .isInstanceOf(ConnectException.class);
                await("the client sees its connection end").atMost(TIMEOUT).until(() -> !client.isOpen());
            }
        }
    }

    @Test
    void stopEndsTheNodeGracefullyAndRestartBringsItBackOnTheSamePort() throws Exception {
        try (NodeProcess node = NodeProcess.start("memory", null, "proc-node-2", Map.of())) {
            int port = node.port();

            assertThat(node.stop()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(node.isRunning()).isFalse();
            assertThat(FixtureSupport.accepts(port)).isFalse();

            node.restart();

            assertThat(node.port()).isEqualTo(port);
            try (DinoClient client = DinoClient.builder(node.wsUri()).connect(NodeProcess.token("bob"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(client.connectResult().get("node").asText()).isEqualTo("proc-node-2");
            }
            assertThat(node.log()).contains("Dino node proc-node-2 is up");
        }
    }

    @Test
    void aNodeThatCannotStartFailsWithItsOutputInTheMessage() {
        assertThatThrownBy(() -> NodeProcess.start("no-such-engine", null, "proc-node-3", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node did not become ready")
                .hasMessageContaining("dino.engine")
                .hasMessageContaining("no-such-engine");
    }

    @Test
    void configHelperWritesTheClusterSettingsAndDottedExtras() {
        String yaml = NodeProcess.config(18080, "redis://127.0.0.1:16379", "n-a",
                Map.of("dino.limits.max-frame-bytes", "1024", "server.idle-connection-timeout", "PT3S",
                        "shutdown.drain-period", "PT1S", "test.label", "yes: \"no\""));

        Config config = Config.just(ConfigSources.create(yaml, MediaTypes.create("application/x-yaml")));

        assertThat(config.get("server.host").asString().get()).isEqualTo("127.0.0.1");
        assertThat(config.get("server.port").asInt().get()).isEqualTo(18080);
        assertThat(config.get("server.idle-connection-timeout").asString().get()).isEqualTo("PT3S");
        assertThat(config.get("dino.node-id").asString().get()).isEqualTo("n-a");
        assertThat(config.get("dino.engine").asString().get()).isEqualTo("redis");
        assertThat(config.get("dino.redis.uri").asString().get()).isEqualTo("redis://127.0.0.1:16379");
        assertThat(config.get("dino.auth.hmac-secrets").asList(String.class).get()).containsExactly(NodeProcess.SECRET);
        assertThat(config.get("dino.api-keys").asList(String.class).get()).isEqualTo(List.of(NodeProcess.API_KEY));
        assertThat(config.get("dino.limits.max-frame-bytes").asInt().get()).isEqualTo(1024);
        assertThat(config.get("dino.shutdown.drain-period").asString().get()).isEqualTo("PT1S");
        assertThat(config.get("dino.test.label").asString().get()).as("quoted, not YAML").isEqualTo("yes: \"no\"");
    }
}
