package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin console's API on one node of two on Redis: it sees the other node's load and acts on its sessions. */
class AdminClusterTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withSettings(Map.of(
            "dino.admin.enabled", "true", "dino.cluster.heartbeat-interval", "PT0.2S")).named("adm-a", "adm-b");

    private static JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(cluster.a().httpUri(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + cluster.a().token("ops", Set.of("globalmod")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode nodeOf(JsonNode nodes, String id) {
        return StreamSupport.stream(nodes.path("nodes").spliterator(), false)
                .filter(node -> node.path("node").asText().equals(id)).findFirst().orElse(JSON.nullNode());
    }

    @Test
    void nodeASeesNodeBsSessionsAndKicksAUserConnectedToB() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient bob = cluster.b().client("adm-bob", events);
        bob.join("adm-hall").join();
        cluster.b().client("adm-eve", new EventRecorder()).join("adm-hall").join();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode nodes = call("GET", "/admin/api/nodes", null);
            assertThat(nodes.path("node").asText()).isEqualTo("adm-a");
            assertThat(nodeOf(nodes, "adm-a").path("self").asBoolean()).isTrue();
            assertThat(nodeOf(nodes, "adm-b").path("self").asBoolean()).isFalse();
            assertThat(nodeOf(nodes, "adm-b").path("sessions").asInt()).isEqualTo(2);
            assertThat(nodeOf(nodes, "adm-b").path("users").asInt()).isEqualTo(2);
            assertThat(nodeOf(nodes, "adm-b").path("rooms").asInt()).isEqualTo(1);
        });
        assertThat(call("GET", "/admin/api/users/adm-bob", null).path("sessionsHere")).as("bob is on node B").isEmpty();

        assertThat(call("POST", "/admin/api/actions/kick", "{\"room\":\"adm-hall\",\"user\":\"adm-bob\",\"reason\":\"x\"}")
                .path("sessions").asInt()).isEqualTo(1);
        assertThat(events.await(e -> e.path("event").asText().equals("kicked"), TIMEOUT).path("by").asText()).isEqualTo("ops");
        await().atMost(TIMEOUT).until(() -> call("GET", "/admin/api/rooms/adm-hall", null).path("members").toString()
                .equals("[\"adm-eve\"]"));
    }
}
