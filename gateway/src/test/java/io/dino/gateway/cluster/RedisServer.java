package io.dino.gateway.cluster;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} process on a free loopback port, in its own temp dir, for tests of the
 * cluster. It is a real server rather than a fake so that the Redis engine is tested against the
 * semantics it runs on in production (Lua, streams, pub/sub, persistence), and a separate process so
 * that tests can crash it with {@link #kill()} and bring it back with {@link #restart()} on the same
 * port and data dir.
 *
 * <p>A missing binary fails the test with a message saying how to install it: a cluster test that
 * silently skips would let the cluster go untested in CI.
 */
public final class RedisServer implements AutoCloseable {

    static final String NOT_FOUND =
            "redis-server not found: install the Debian package redis-server (./dino test installs it)";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int STOP_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 5;

    /**
     * How the server runs.
     *
     * @param appendOnly persist every write to an append-only file with {@code appendfsync always}, so
     *                   that data acknowledged before a {@link #kill()} is there after {@link #restart()}
     * @param maxMemory  Redis {@code maxmemory} value such as {@code 64mb}, or empty for no limit
     * @param more       further {@code redis-server} arguments, such as {@code --cluster-node-timeout 1000}
     * @param clusterNode a Redis Cluster node: cluster mode on, its cluster bus on a free port of its own
     *                    (by default the bus takes the port plus 10000, which may be taken or out of range)
     */
    public record Options(boolean appendOnly, Optional<String> maxMemory, List<String> more, boolean clusterNode) {

        /** No persistence, no memory limit. */
        public static final Options DEFAULT = new Options(false, Optional.empty(), List.of(), false);

        public Options {
            Objects.requireNonNull(maxMemory, "maxMemory");
            more = List.copyOf(more);
        }

        public Options withAppendOnly(boolean on) {
            return new Options(on, maxMemory, more, clusterNode);
        }

        public Options withMaxMemory(String value) {
            return new Options(appendOnly, Optional.of(value), more, clusterNode);
        }

        public Options withArguments(String... arguments) {
            List<String> all = new ArrayList<>(more);
            all.addAll(List.of(arguments));
            return new Options(appendOnly, maxMemory, all, clusterNode);
        }

        public Options asClusterNode() {
            return new Options(appendOnly, maxMemory, more, true);
        }
    }

    private final Path binary;
    private final Options options;
    private final Path dir;
    private final Path log;
    private int port;
    private int busPort;
    private Process process;

    private RedisServer(Path binary, Options options) {
        this.binary = binary;
        this.options = options;
        this.dir = FixtureSupport.tempDir("dino-redis-");
        this.log = dir.resolve("redis.log");
    }

    /** Starts a server without persistence. */
    public static RedisServer start() {
        return start(Options.DEFAULT);
    }

    public static RedisServer start(Options options) {
        RedisServer server = new RedisServer(findBinary(defaultCandidates()), options);
        try {
            server.startOnFreePort();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** {@code redis-server} in each PATH directory, then the Debian locations. */
    static List<Path> defaultCandidates() {
        List<Path> candidates = new ArrayList<>();
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                candidates.add(Path.of(entry, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/sbin/redis-server"));
        return candidates;
    }

    /**
     * The first executable among {@code candidates}.
     *
     * @throws IllegalStateException with {@link #NOT_FOUND} and the places looked at, if none is
     */
    static Path findBinary(List<Path> candidates) {
        return candidates.stream()
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(NOT_FOUND + " (looked at " + candidates + ")"));
    }

    public int port() {
        return port;
    }

    /** The URI the Redis engine and lettuce connect to, e.g. {@code redis://127.0.0.1:6379}. */
    public String uri() {
        return "redis://" + FixtureSupport.LOOPBACK + ":" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server's output so far (its log file). */
    public String log() {
        return FixtureSupport.read(log);
    }

    public long pid() {
        return process.pid();
    }

    /** Graceful stop: {@code SHUTDOWN NOSAVE}, falling back to SIGTERM; waits for the process to exit. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        try {
            send("SHUTDOWN NOSAVE");
        } catch (IOException expected) {
            // a successful shutdown closes the connection without a reply
        }
        if (!FixtureSupport.exits(process, STOP_TIMEOUT_SECONDS)) {
            process.destroy();
        }
        FixtureSupport.awaitExit(process, STOP_TIMEOUT_SECONDS, "redis-server");
    }

    /** Crash: SIGKILL, as a machine or container dying would; waits for the process to be gone. */
    public void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        FixtureSupport.awaitExit(process, STOP_TIMEOUT_SECONDS, "redis-server");
    }

    /**
     * Starts the server again on the same port and data dir after {@link #stop()} or {@link #kill()},
     * so clients reconnect to the same address and, with append-only on, find the data written before.
     * Returns when it answers PING and has finished loading its data.
     */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " still runs: stop() or kill() it first");
        }
        launch(port);
        awaitReady();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            FixtureSupport.awaitExit(process, STOP_TIMEOUT_SECONDS, "redis-server");
        }
        FixtureSupport.deleteTree(dir);
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            busPort = 0;  // a new bus port too: the one tried may be the one taken
            launch(FixtureSupport.freePort());
            try {
                awaitReady();
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = !process.isAlive() && log().contains("Address already in use");
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void launch(int onPort) {
        this.port = onPort;
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(onPort),
                "--bind", FixtureSupport.LOOPBACK,
                "--save", "",
                "--appendonly", options.appendOnly() ? "yes" : "no",
                "--dir", dir.toString(),
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--maxmemory", options.maxMemory().orElse("0")));
        if (options.appendOnly()) {
            command.addAll(List.of("--appendfsync", "always"));
        }
        if (options.clusterNode()) {
            if (busPort == 0) {
                busPort = FixtureSupport.freePort();
            }
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-port", Integer.toString(busPort)));
        }
        command.addAll(options.more());
        try {
            process = FixtureSupport.track(new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        }
    }

    /** Waits until the server answers PING and, after a restart with append-only on, has loaded its data. */
    private void awaitReady() {
        try {
            await("redis-server on port " + port + " answers PING and has loaded its data")
                    .atMost(START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("redis-server exited", () -> !process.isAlive())
                    .until(this::ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("redis-server did not start on port " + port + ": " + e.getMessage()
                    + "\n--- " + log + " ---\n" + FixtureSupport.tail(log), e);
        }
    }

    private boolean ready() {
        try {
            return "PONG".equals(send("PING")) && send("INFO persistence").lines().anyMatch("loading:0"::equals);
        } catch (IOException e) {
            return false; // not listening yet, or an error reply such as LOADING
        }
    }

    /**
     * Sends one inline command on a fresh connection and returns the reply: the text of a simple string,
     * integer or bulk string reply.
     *
     * @throws IOException on connection failure, or an error reply (such as {@code -LOADING})
     */
    String send(String inlineCommand) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FixtureSupport.LOOPBACK, port), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write((inlineCommand + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String line = readLine(in);
            if (line.isEmpty()) {
                throw new IOException("redis-server sent an empty line in reply to " + inlineCommand);
            }
            return switch (line.charAt(0)) {
                case '+', ':' -> line.substring(1);
                case '$' -> new String(in.readNBytes(Math.max(0, Integer.parseInt(line.substring(1)))),
                        StandardCharsets.UTF_8);
                default -> throw new IOException("redis-server replied " + line + " to " + inlineCommand);
            };
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        throw new IOException("connection closed before a full reply");
    }
}
