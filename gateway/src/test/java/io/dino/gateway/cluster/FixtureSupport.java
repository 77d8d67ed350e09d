package io.dino.gateway.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link RedisServer} and {@link NodeProcess} share: free loopback ports, reading the tail of a
 * process log for failure messages, deleting temp dirs, and killing child processes when the test JVM
 * exits, so that a failed or interrupted test run does not leave redis-servers and gateway JVMs behind.
 */
final class FixtureSupport {

    static final String LOOPBACK = "127.0.0.1";

    /** How much of a process log goes into a failure message. */
    private static final int LOG_TAIL_CHARS = 8_000;

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly),
                "dino-test-fixture-reaper"));
    }

    private FixtureSupport() {
    }

    /**
     * A loopback port that was free a moment ago: bound on port 0, then released. Another process may
     * take it before the caller binds it, which is why the fixtures retry their start on a bind failure.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free loopback port", e);
        }
    }

    /** Whether something accepts TCP connections on the loopback port right now. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Registers a child process to be killed if the test JVM exits while it still runs. */
    static Process track(Process process) {
        CHILDREN.add(process);
        process.onExit().thenRun(() -> CHILDREN.remove(process));
        return process;
    }

    /** Whether the process exits within {@code seconds}. */
    static boolean exits(Process process, long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + process.pid() + " to exit", e);
        }
    }

    /**
     * Waits for a process to exit.
     *
     * @return its exit code
     * @throws IllegalStateException if it is still running after {@code seconds}
     */
    static int awaitExit(Process process, long seconds, String what) {
        if (!exits(process, seconds)) {
            throw new IllegalStateException(what + " (pid " + process.pid() + ") still runs after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** The last few thousand characters of a log file, for failure messages. */
    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log file " + log + ")";
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL_CHARS ? text : "..." + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temp dir", e);
        }
    }

    /** Deletes a directory tree, best effort: a leftover temp file must not fail a test. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
