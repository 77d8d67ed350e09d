package io.dino.gateway.e2e;

import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Which upgrade requests are let through, by their Origin header: the node's own origin by default, the
 * allow-list when one is set, and always requests without Origin (browsers always send one; native apps
 * and the Java client send none, and need no protection against cross-site pages).
 */
class OriginTest {

    @Test
    void withoutAnAllowListOnlyTheNodesOwnOriginAndNoOriginAreAccepted() throws Exception {
        try (TestNode node = TestNode.start()) {
            String own = "http://127.0.0.1:" + node.port();
            assertAccepted(node, Map.of("Origin", own));
            assertAccepted(node, Map.of());
            assertRefused(node, Map.of("Origin", "https://evil.example"));
            assertRefused(node, Map.of("Origin", "http://127.0.0.1:" + (node.port() + 1)));
            assertRefused(node, Map.of("Origin", "null"));
        }
    }

    @Test
    void anAllowListAcceptsExactlyItsOriginsAndNoOrigin() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.allowed-origins.0", "https://chat.example.com"))) {
            assertAccepted(node, Map.of("Origin", "https://chat.example.com"));
            assertAccepted(node, Map.of());
            assertRefused(node, Map.of("Origin", "https://evil.example"));
            assertRefused(node, Map.of("Origin", "https://chat.example.com.evil.example"));
            assertRefused(node, Map.of("Origin", "http://127.0.0.1:" + node.port()));
        }
    }

    private static void assertAccepted(TestNode node, Map<String, String> headers) throws Exception {
        try (TextWebSocket socket = TextWebSocket.open(node.wsUri(), headers, TIMEOUT).join()) {
            socket.send("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("origin-user") + "\"}");
            assertThat(socket.next(TIMEOUT)).contains("\"result\"");
        }
    }

    private static void assertRefused(TestNode node, Map<String, String> headers) {
        Throwable failure = catchThrowable(() -> TextWebSocket.open(node.wsUri(), headers, TIMEOUT).join().close());
        while (failure != null && !(failure instanceof WebSocketHandshakeException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("refusal of " + headers).isInstanceOfSatisfying(WebSocketHandshakeException.class,
                e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }
}
