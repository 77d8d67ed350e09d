package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Two gateway nodes on one real redis-server, for a test class, as a static {@code @RegisterExtension} field: the
 * redis-server and nodes A and B start before the class's {@code @BeforeAll} methods and close after its
 * {@code @AfterAll} ones. The nodes run the Redis engine with a heartbeat every 0.5 s and a node timeout of 5 s
 * unless the settings say otherwise. Options: a backend (gRPC) client on each node, and a {@link #store() store}
 * engine on the same Redis that changes stored state behind the nodes' backs.
 */
final class TwoRedisNodes implements BeforeAllCallback, AfterAllCallback {

    private static final Map<String, String> CLUSTER_DEFAULTS = Map.of(
            "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S");

    private final String idA;
    private final String idB;
    private final Map<String, String> settings;
    private final boolean backendClients;
    private final boolean withStore;
    private RedisServer redis;
    private TestNode a;
    private TestNode b;
    private DinoBackendClient backendOnA;
    private DinoBackendClient backendOnB;
    private Engine store;

    private TwoRedisNodes(String idA, String idB, Map<String, String> settings, boolean backendClients, boolean withStore) {
        this.idA = idA;
        this.idB = idB;
        this.settings = Map.copyOf(settings);
        this.backendClients = backendClients;
        this.withStore = withStore;
    }

    /** Nodes {@code a} and {@code b} with the default cluster timing. */
    static TwoRedisNodes withDefaults() {
        return withSettings(Map.of());
    }

    /** Nodes {@code a} and {@code b} with {@code settings} over the default cluster timing. */
    static TwoRedisNodes withSettings(Map<String, String> settings) {
        return new TwoRedisNodes("a", "b", settings, false, false);
    }

    /** The same nodes with other ids. */
    TwoRedisNodes named(String nodeA, String nodeB) {
        return new TwoRedisNodes(nodeA, nodeB, settings, backendClients, withStore);
    }

    /** The same, with a backend client on each node ({@link #backendOnA()}, {@link #backendOnB()}). */
    TwoRedisNodes withBackendClients() {
        return new TwoRedisNodes(idA, idB, settings, true, withStore);
    }

    /** The same, with a {@link #store()} engine. */
    TwoRedisNodes withStore() {
        return new TwoRedisNodes(idA, idB, settings, backendClients, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RedisServer.start();
        a = node(idA);
        b = node(idB);
        if (backendClients) {
            backendOnA = backendClient(a);
            backendOnB = backendClient(b);
        }
        if (withStore) {
            store = RedisEngine.start("store", new RedisSettings(redis.uri(), "dino", Duration.ofSeconds(2), 100,
                    Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(500), Duration.ofSeconds(5)),
                    InstantSource.system());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // clients and the store, then the nodes, then Redis; each even if one before it failed (null: never started)
        RuntimeException failure = null;
        for (AutoCloseable resource : new AutoCloseable[] {backendOnA, backendOnB, store, a, b, redis}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    TestNode a() {
        return a;
    }

    TestNode b() {
        return b;
    }

    RedisServer redis() {
        return redis;
    }

    /** A backend client on node A, closed after the class. */
    DinoBackendClient backendOnA() {
        return required(backendOnA, "withBackendClients()");
    }

    /** A backend client on node B, closed after the class. */
    DinoBackendClient backendOnB() {
        return required(backendOnB, "withBackendClients()");
    }

    /**
     * A Redis engine of its own ({@code store}) on the nodes' Redis and key prefix: what it changes is stored, but no
     * control is sent, so the nodes learn of it only when something else makes them read the store again.
     */
    Engine store() {
        return required(store, "withStore()");
    }

    private TestNode node(String id) {
        Map<String, String> config = new HashMap<>(CLUSTER_DEFAULTS);
        config.putAll(settings);
        config.putAll(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id));
        return TestNode.start(config);
    }

    private static DinoBackendClient backendClient(TestNode node) {
        return DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    private static <T> T required(T option, String enabledBy) {
        if (option == null) {
            throw new IllegalStateException("not started: register the fixture with " + enabledBy);
        }
        return option;
    }
}
