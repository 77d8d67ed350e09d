package io.dino.gateway.cluster;

import io.dino.gateway.TestNode;
import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.TokenMinter;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * A Dino gateway node in its own JVM, started the way production starts it
 * ({@code java -cp ... io.dino.gateway.Main run --config FILE}) from the test JVM's classpath and
 * java binary. A separate process, unlike {@link TestNode}, because cluster tests must be able to crash
 * a node for real ({@link #kill()} is SIGKILL: no shutdown hook, no drain, sockets reset) and because
 * nodes of a cluster must not share the JVM-wide state that in-process nodes would share.
 *
 * <p>The node's stdout and stderr go to a log file in its temp dir; a node that does not become ready
 * fails with that log in the exception message.
 */
public final class NodeProcess implements AutoCloseable {

    public static final String SECRET = TestNode.SECRET;
    public static final String API_KEY = TestNode.API_KEY;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int STOP_TIMEOUT_SECONDS = 20;
    private static final int KILL_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 3;
    private static final String MAIN = "io.dino.gateway.Main";
    private static final String DEFAULT_MAX_HEAP = "256m";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final TokenMinter MINTER = new TokenMinter(new AuthSettings(List.of(SECRET), List.of(),
            Optional.empty(), Optional.empty(), Duration.ofSeconds(30), Duration.ofHours(1)), InstantSource.system());

    private final int port;
    private final int grpcPort;
    private final Path dir;
    private final Path configFile;
    private final Path log;
    private final String maxHeap;
    private Process process;

    private NodeProcess(int port, String yaml, String maxHeap) {
        this.port = port;
        this.grpcPort = Config.just(ConfigSources.create(yaml, MediaTypes.APPLICATION_X_YAML))
                .get("dino.grpc.port").asInt().orElse(port + 1);
        this.maxHeap = maxHeap;
        this.dir = FixtureSupport.tempDir("dino-node-");
        this.configFile = dir.resolve("dino.yaml");
        this.log = dir.resolve("node.log");
        try {
            Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            FixtureSupport.deleteTree(dir);
            throw new UncheckedIOException(e);
        }
    }

    // ---- configuration ---------------------------------------------------------------------------------

    /** {@link #config(int, String, String, String, Map)} for the {@code redis} engine. */
    public static String config(int port, String redisUri, String nodeId, Map<String, String> extraKeys) {
        return config(port, "redis", redisUri, nodeId, extraKeys);
    }

    /**
     * The YAML config of a test node: loopback on {@code port}, gRPC on a free port, the test HMAC secret
     * and API key, no drain period (so {@link #stop()} is quick).
     *
     * @param engine    {@code dino.engine}, e.g. {@code redis} or {@code memory}
     * @param redisUri  {@code dino.redis.uri}; null leaves it out (the memory engine needs none)
     * @param nodeId    {@code dino.node-id}; null leaves it out (a random id)
     * @param extraKeys more settings as dotted paths: under {@code dino} unless they start with
     *                  {@code dino.} or {@code server.}, so {@code limits.max-frame-bytes} and
     *                  {@code dino.limits.max-frame-bytes} are the same key, and
     *                  {@code server.idle-connection-timeout} sets the web server. They replace the defaults
     *                  above. Values are strings (the config reads every scalar as text); for lists, write
     *                  the YAML yourself and use {@link #start(int, String)}
     */
    public static String config(int port, String engine, String redisUri, String nodeId, Map<String, String> extraKeys) {
        Map<String, Object> tree = new LinkedHashMap<>();
        put(tree, "server.host", FixtureSupport.LOOPBACK);
        put(tree, "server.port", Integer.toString(port));
        put(tree, "dino.grpc.port", Integer.toString(FixtureSupport.freePort()));
        if (nodeId != null) {
            put(tree, "dino.node-id", nodeId);
        }
        put(tree, "dino.engine", engine);
        if (redisUri != null) {
            put(tree, "dino.redis.uri", redisUri);
        }
        put(tree, "dino.auth.hmac-secrets", List.of(SECRET));
        put(tree, "dino.api-keys", List.of(API_KEY));
        put(tree, "dino.shutdown.drain-period", "PT0S");
        put(tree, "dino.shutdown.grpc-grace", "PT2S");
        extraKeys.forEach((key, value) ->
                put(tree, key.startsWith("dino.") || key.startsWith("server.") ? key : "dino." + key, value));
        StringBuilder yaml = new StringBuilder("# written by " + NodeProcess.class.getName() + "\n");
        render(tree, "", yaml);
        return yaml.toString();
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String dottedKey, Object value) {
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw new IllegalArgumentException("config key " + dottedKey + " goes through the value of " + parts[i]);
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static void render(Map<String, Object> tree, String indent, StringBuilder yaml) {
        tree.forEach((key, value) -> {
            yaml.append(indent).append(key).append(':');
            switch (value) {
                case Map<?, ?> map -> {
                    yaml.append('\n');
                    render((Map<String, Object>) map, indent + "  ", yaml);
                }
                case List<?> list -> {
                    yaml.append('\n');
                    list.forEach(item -> yaml.append(indent).append("  - ").append(quote(item)).append('\n'));
                }
                default -> yaml.append(' ').append(quote(value)).append('\n');
            }
        });
    }

    /** A YAML double-quoted scalar, so that values such as {@code yes}, {@code 0} or {@code :} stay text. */
    private static String quote(Object value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : String.valueOf(value).toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }

    // ---- starting --------------------------------------------------------------------------------------

    /** A node on the {@code redis} engine, on a free port. */
    public static NodeProcess start(String redisUri, String nodeId) {
        return start("redis", redisUri, nodeId, Map.of());
    }

    /** A node on the {@code redis} engine, on a free port, with more settings (see {@link #config}). */
    public static NodeProcess start(String redisUri, String nodeId, Map<String, String> extraKeys) {
        return start("redis", redisUri, nodeId, extraKeys);
    }

    /**
     * A node on a free port with the config of {@link #config(int, String, String, String, Map)}. If
     * another process took the port between picking and binding it, starts again on another one.
     */
    public static NodeProcess start(String engine, String redisUri, String nodeId, Map<String, String> extraKeys) {
        return start(engine, redisUri, nodeId, extraKeys, DEFAULT_MAX_HEAP);
    }

    /** As {@link #start(String, String, String, Map)}, with the node's heap limited to {@code maxHeap} ({@code -Xmx}, e.g. 128m). */
    public static NodeProcess start(String engine, String redisUri, String nodeId, Map<String, String> extraKeys,
                                    String maxHeap) {
        for (int attempt = 1; ; attempt++) {
            int port = FixtureSupport.freePort();
            NodeProcess node = new NodeProcess(port, config(port, engine, redisUri, nodeId, extraKeys), maxHeap);
            try {
                node.launchAndAwaitReady();
                return node;
            } catch (RuntimeException | Error e) {
                boolean portTaken = node.process != null && !node.process.isAlive()
                        && node.log().contains("BindException") && node.log().contains("Address already in use");
                node.close();
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A node with a config of the caller's, which must make it listen on {@code port} on 127.0.0.1. */
    public static NodeProcess start(int port, String yaml) {
        NodeProcess node = new NodeProcess(port, yaml, DEFAULT_MAX_HEAP);
        try {
            node.launchAndAwaitReady();
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    /** A client token for {@code user}, signed with the secret every test node trusts. */
    public static String token(String user) {
        return MINTER.mint(user, Set.of(), Map.of(), Duration.ZERO).token();
    }

    // ---- the running node ------------------------------------------------------------------------------

    public int port() {
        return port;
    }

    /** The port of the node's backend API (gRPC). */
    public int grpcPort() {
        return grpcPort;
    }

    public URI wsUri() {
        return URI.create("ws://" + FixtureSupport.LOOPBACK + ":" + port + "/ws");
    }

    public URI httpUri(String path) {
        return URI.create("http://" + FixtureSupport.LOOPBACK + ":" + port + path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The node's stdout and stderr so far. */
    public String log() {
        return FixtureSupport.read(log);
    }

    /**
     * Crash: SIGKILL (no shutdown hook, no drain, connections reset), then waits for the process to be gone.
     *
     * @return the exit code (137 after a SIGKILL)
     */
    public int kill() {
        process.destroyForcibly();
        return FixtureSupport.awaitExit(process, KILL_TIMEOUT_SECONDS, "node process");
    }

    /**
     * Graceful stop: SIGTERM, which runs the node's shutdown hook (drain, tell sessions to reconnect).
     *
     * @return the exit code (143 after a SIGTERM)
     * @throws IllegalStateException with the node's log if it has not exited after 20 s (it is then killed)
     */
    public int stop() {
        process.destroy();
        if (!FixtureSupport.exits(process, STOP_TIMEOUT_SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("node process " + process.pid() + " did not exit within "
                    + STOP_TIMEOUT_SECONDS + " s of SIGTERM\n--- " + log + " ---\n" + FixtureSupport.tail(log));
        }
        return process.exitValue();
    }

    /** Starts the node again after {@link #kill()} or {@link #stop()}: same config, same port. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("node process " + process.pid() + " still runs: stop() or kill() it first");
        }
        launchAndAwaitReady();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            FixtureSupport.awaitExit(process, KILL_TIMEOUT_SECONDS, "node process");
        }
        FixtureSupport.deleteTree(dir);
    }

    private void launchAndAwaitReady() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only and the serial collector: the same code runs, but a node starts in about half the time
        // on a small CI machine, where several node JVMs and the test JVM share two cores. An OutOfMemoryError
        // ends the node, as with ./dino run
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                MAIN, "run", "--config", configFile.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // environment variables override the YAML file: keep the test machine's from changing the node
        builder.environment().keySet().removeIf(name -> name.startsWith("DINO_") || name.startsWith("SERVER_"));
        try {
            process = FixtureSupport.track(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + builder.command(), e);
        }
        try {
            await("node on port " + port + " answers 200 on /observe/health/ready")
                    .atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ofMillis(100))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("node process exited", () -> !process.isAlive())
                    .until(this::ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("node did not become ready on port " + port + ": " + e.getMessage()
                    + "\n--- " + log + " ---\n" + FixtureSupport.tail(log), e);
        }
    }

    private boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(httpUri("/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
