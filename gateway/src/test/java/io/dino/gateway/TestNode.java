package io.dino.gateway;

import io.dino.api.v1.BackendGrpc;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.TokenMinter;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real node on a free loopback port for end-to-end tests, with helpers to reach it the way
 * browsers (the Java WebSocket client) and backends (gRPC stubs) do. Closing it shuts the node down
 * and closes every client and channel it handed out.
 */
public final class TestNode implements AutoCloseable {

    public static final String SECRET = "test-secret-test-secret-test-secret-0123";
    public static final String API_KEY = "test-api-key";
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final DinoNode node;
    private final TokenMinter minter;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private TestNode(DinoNode node) {
        this.node = node;
        this.minter = new TokenMinter(new AuthSettings(List.of(SECRET), List.of(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), Duration.ofHours(1)), InstantSource.system());
    }

    public static TestNode start() {
        return start(Map.of());
    }

    /** Starts a node; {@code overrides} are config keys such as {@code dino.limits.max-frame-bytes}. */
    public static TestNode start(Map<String, String> overrides) {
        return new TestNode(DinoNode.start(config(overrides)));
    }

    public static Config config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.host", "127.0.0.1");
        values.put("server.port", "0");
        values.put("dino.grpc.port", "0");
        values.put("dino.auth.hmac-secrets.0", SECRET);
        values.put("dino.api-keys.0", API_KEY);
        values.put("dino.shutdown.drain-period", "PT0S");
        values.put("dino.shutdown.grpc-grace", "PT2S");
        values.putAll(overrides);
        return Config.just(ConfigSources.create(values));
    }

    public DinoNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public int grpcPort() {
        return node.grpcPort();
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws");
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    public String token(String user) {
        return minter.mint(user, Set.of(), Map.of(), Duration.ZERO).token();
    }

    /** A token whose {@code roles} and {@code attrs} claims carry what access rules check. */
    public String token(String user, Set<String> roles, Map<String, String> attributes) {
        return minter.mint(user, roles, attributes, Duration.ZERO).token();
    }

    /** A token whose {@code roles} claim grants the given roles, e.g. {@code superuser} for an operator. */
    public String token(String user, Set<String> roles) {
        return minter.mint(user, roles, Map.of(), Duration.ZERO).token();
    }

    /** A connected client of a global moderator (an operator). */
    public DinoClient operatorClient(String user, EventRecorder events) {
        DinoClient client = DinoClient.builder(wsUri()).onEvent(events).connect(token(user, Set.of("globalmod"))).join();
        resources.add(client);
        return client;
    }

    /** A connected, authenticated client whose events go to the given recorder. */
    public DinoClient client(String user, EventRecorder events) {
        return clientWith(token(user), events);
    }

    /** A connected client whose token has these roles and attributes. */
    public DinoClient client(String user, Set<String> roles, Map<String, String> attributes, EventRecorder events) {
        return clientWith(token(user, roles, attributes), events);
    }

    private DinoClient clientWith(String token, EventRecorder events) {
        DinoClient client = DinoClient.builder(wsUri()).onEvent(events).connect(token).join();
        resources.add(client);
        return client;
    }

    /** An open socket that has not authenticated yet. */
    public DinoClient rawClient(EventRecorder events) {
        DinoClient client = DinoClient.builder(wsUri()).onEvent(events).open().join();
        resources.add(client);
        return client;
    }

    public ManagedChannel channel() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
        resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    /** A backend stub that sends the test API key. */
    public BackendGrpc.BackendBlockingStub backend() {
        return backend(API_KEY);
    }

    public BackendGrpc.BackendBlockingStub backend(String apiKey) {
        return backend(channel(), apiKey);
    }

    /** A backend stub on {@code channel} that sends {@code apiKey} (none if null); its deadline starts now. */
    public static BackendGrpc.BackendBlockingStub backend(Channel channel, String apiKey) {
        Metadata headers = new Metadata();
        if (apiKey != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        }
        return BackendGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort: the node is shut down next anyway
            }
        }
        node.shutdown();
    }
}
