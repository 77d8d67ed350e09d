package io.dino.gateway.e2e;

import io.dino.api.client.DinoBackendClient;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * One gateway node (memory engine) and a backend (gRPC) client on it, for a test class, as a static
 * {@code @RegisterExtension} field: both start before the class's {@code @BeforeAll} methods and close after its
 * {@code @AfterAll} ones, the client first.
 */
final class OneNode implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private TestNode node;
    private DinoBackendClient backend;

    private OneNode(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** A node with the test defaults. */
    static OneNode withDefaults() {
        return withSettings(Map.of());
    }

    /** A node with {@code settings} over the test defaults. */
    static OneNode withSettings(Map<String, String> settings) {
        return new OneNode(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        node = TestNode.start(settings);
        backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // the client, then the node, even if the client's close failed (null: never started)
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    TestNode node() {
        return node;
    }

    /** A backend client on the node with the test API key, closed after the class. */
    DinoBackendClient backend() {
        return backend;
    }
}
