package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The address of a session, as operators see it: behind a proxy listed in dino.trusted-proxies (nginx passes
 * X-Forwarded-For and X-Real-IP), the client's; from anyone else, the TCP peer's, whatever it claims.
 */
class ClientAddressTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void behindATrustedProxyTheForwardedClientAddressIsTheSessionsPeer() throws Exception {
        try (TestNode node = start("127.0.0.1")) {
            // the client's own claim (198.51.100.1) on the left, the address nginx saw on the right
            connectAs(node, "fwd-alice", "198.51.100.1, 203.0.113.7");
            await().atMost(TIMEOUT).until(() -> peerOf(node, "fwd-alice"), peer -> peer.equals("203.0.113.7"));
        }
    }

    @Test
    void fromAnUntrustedPeerForwardingHeadersAreIgnored() throws Exception {
        try (TestNode node = start(null)) {
            connectAs(node, "fwd-mallory", "203.0.113.66");
            await().atMost(TIMEOUT).until(() -> peerOf(node, "fwd-mallory"), peer -> peer.matches("127\\.0\\.0\\.1:\\d+"));
        }
    }

    private static TestNode start(String trustedProxy) {
        Map<String, String> settings = new HashMap<>(Map.of("dino.admin.enabled", "true"));
        if (trustedProxy != null) {
            settings.put("dino.trusted-proxies.0", trustedProxy);
        }
        return TestNode.start(settings);
    }

    /** Opens a WebSocket with an X-Forwarded-For header and sends connect (the session lives until the node stops). */
    private static void connectAs(TestNode node, String user, String forwardedFor) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("X-Forwarded-For", forwardedFor)
                .buildAsync(node.wsUri(), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        socket.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token(user) + "\"}", true).join();
        assertThat(reply.orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join()).contains("\"result\"");
    }

    /** The peer the admin API's sessions view gives for the user's session ("" while there is none). */
    private static String peerOf(TestNode node, String user) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.httpUri("/admin/api/sessions"))
                .header("Authorization", "Bearer " + TestNode.API_KEY).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode session : JSON.readTree(response.body()).path("sessions")) {
            if (session.path("user").asText().equals(user)) {
                return session.path("peer").asText();
            }
        }
        return "";
    }
}
