package io.dino.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /observe/info: the build (version, commit, build time), Java, engine and node, on the observe port. */
class InfoEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void describesTheBuildAndTheNode() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.node-id", "info-node"))) {
            HttpResponse<String> response = get(node.httpUri("/observe/info"));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode info = new ObjectMapper().readTree(response.body());
            assertThat(info.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(info.get("buildTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(info.get("commit").asText()).matches("[0-9a-f]{7,}|unknown");
            assertThat(info.get("java").asText()).isEqualTo(Runtime.version().toString());
            assertThat(info.get("engine").asText()).isEqualTo("memory");
            assertThat(info.get("node").asText()).isEqualTo("info-node");
            assertThat(node.node().buildInfo().line()).startsWith(info.get("version").asText() + " (commit ");
        }
    }

    @Test
    void isServedOnlyOnTheManagementPortWhenThereIsOne() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.management.port", "0"))) {
            assertThat(get(node.httpUri("/observe/info")).statusCode()).isEqualTo(404);
            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + node.node().managementPort() + "/observe/info"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(response.body()).get("engine").asText()).isEqualTo("memory");
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
