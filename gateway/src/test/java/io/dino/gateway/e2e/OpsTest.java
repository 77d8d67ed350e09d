package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health and metrics endpoints, as an orchestrator and Prometheus see them. */
class OpsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void liveAndReadyAnswerUpWithTheEngineNamed() throws Exception {
        HttpResponse<String> live = get("/observe/health/live");
        HttpResponse<String> ready = get("/observe/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode readiness = new ObjectMapper().readTree(ready.body());
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.findValues("name")).extracting(JsonNode::asText).contains("dino");
        assertThat(readiness.findValue("engine").asText()).isEqualTo("memory");
        assertThat(readiness.findValue("started").asBoolean()).isTrue();
        assertThat(readiness.findValue("draining").asBoolean()).isFalse();
    }

    @Test
    void withAManagementPortTheObserveEndpointsLeaveTheMainPort() throws Exception {
        try (TestNode managed = TestNode.start(java.util.Map.of("dino.management.port", "0"))) {
            int management = managed.node().managementPort();
            assertThat(management).isNotEqualTo(managed.port());
            java.net.URI base = java.net.URI.create("http://127.0.0.1:" + management);

            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/observe/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("dino_connections");
            for (String path : java.util.List.of("/observe/health/ready", "/observe/metrics")) {
                assertThat(HTTP.send(HttpRequest.newBuilder(managed.httpUri(path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path + " on the main port").isEqualTo(404);
            }
            managed.client("still-chatting", new EventRecorder()).join("ops-room").join();  // the main port serves clients
        }
    }

    @Test
    void metricsExposeConnectionsTrafficLatencyErrorsAndGrpcCalls() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient client = node.client("metered", events);
        client.join("metrics-room").join();
        client.send("metrics-room", "counted").join();
        events.await("message", TestNode.TIMEOUT);
        client.sendRaw("{\"id\":9,\"cmd\":\"bogus\"}").join();
        client.awaitUnmatchedReply(TestNode.TIMEOUT);
        node.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance());

        String metrics = get("/observe/metrics").body();
        String thisNode = "(?=[^}]*node=\"" + node.node().nodeId() + "\")";

        assertThat(metrics).containsPattern("dino_connections\\{" + thisNode + "[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("dino_messages_in_total\\{" + thisNode + "[^}]*kind=\"send\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("dino_messages_out_total\\{" + thisNode + "[^}]*kind=\"message\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("dino_publish_latency_seconds_count\\{" + thisNode + "[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("dino_errors_total\\{" + thisNode + "[^}]*code=\"UNKNOWN_COMMAND\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern(
                "dino_grpc_calls_total\\{[^}]*method=\"dino.v1.Backend/ListOnlineUsers\"[^}]*status=\"OK\"[^}]*} 1\\.0");
        assertThat(metrics).contains("memory_usedHeap_bytes");
    }

    @Test
    void serverPingsKeepAnIdleSessionOpenPastTheIdleConnectionTimeout() {
        // Helidon's activity timestamps have second granularity, hence a timeout of several seconds
        try (TestNode pinging = TestNode.start(java.util.Map.of(
                "server.idle-connection-timeout", "PT3S",
                "server.idle-connection-period", "PT0.2S",
                "dino.limits.ping-interval", "PT0.3S"))) {
            DinoClient idle = pinging.client("quiet", new EventRecorder());
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(9)).until(idle::isOpen);
            assertThat(idle.ping().join().has("ts")).isTrue();
        }
    }

    @Test
    void withoutPingsAnIdleSessionIsClosedByTheIdleConnectionTimeout() {
        try (TestNode silent = TestNode.start(java.util.Map.of(
                "server.idle-connection-timeout", "PT2S",
                "server.idle-connection-period", "PT0.2S",
                "dino.limits.ping-interval", "PT1H"))) {
            DinoClient idle = silent.client("quiet", new EventRecorder());
            await().atMost(Duration.ofSeconds(10)).until(() -> !idle.isOpen());
        }
    }

    @Test
    void aNodeThatCannotListenFailsToStartInsteadOfRunningWithoutAPort() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestNode.start(java.util.Map.of("server.port",
                        Integer.toString(node.port()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in use");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.httpUri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
