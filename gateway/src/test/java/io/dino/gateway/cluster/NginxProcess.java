package io.dino.gateway.cluster;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real nginx (the Debian package's binary) in front of test nodes, running the repository's
 * {@code config/nginx/dino.conf} as written except for the node addresses, the two listen ports and the
 * certificate paths, which are replaced in a copy. It runs as the current user in a temp dir
 * ({@code -p DIR -c DIR/nginx.conf}, {@code daemon off}, pid, temp files and the error log inside the dir),
 * with a self-signed certificate for 127.0.0.1 and localhost made by {@code openssl} at start.
 */
public final class NginxProcess implements AutoCloseable {

    /** The configuration operators use, relative to the gateway module (the tests' working directory). */
    public static final Path CONFIG = Path.of("../config/nginx/dino.conf");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final int STOP_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 3;
    private static final List<String> NGINX_CANDIDATES = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/local/nginx/sbin/nginx");

    private final Path dir;
    private final Path log;
    private final int httpsPort;
    private final int grpcPort;
    private Process process;

    private NginxProcess(Path dir, int httpsPort, int grpcPort) {
        this.dir = dir;
        this.log = dir.resolve("nginx.log");
        this.httpsPort = httpsPort;
        this.grpcPort = grpcPort;
    }

    /** The nginx binary: on PATH or where Debian puts it; empty when nginx is not installed. */
    public static Optional<String> binary() {
        Stream<String> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "nginx").toString());
        return Stream.concat(onPath, NGINX_CANDIDATES.stream())
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    /**
     * nginx in front of {@code nodes} (their WebSocket and gRPC ports), on two free loopback ports.
     *
     * @param nodes exactly two nodes, replacing the two of each upstream in the config
     */
    public static NginxProcess start(List<NodeProcess> nodes) {
        if (nodes.size() != 2) {
            throw new IllegalArgumentException("the config lists two nodes; got " + nodes.size());
        }
        String nginx = binary().orElseThrow(() -> new IllegalStateException(
                "nginx is not installed (apt-get install nginx; ./dino test installs it)"));
        for (int attempt = 1; ; attempt++) {
            Path dir = FixtureSupport.tempDir("dino-nginx-");
            NginxProcess proxy = new NginxProcess(dir, FixtureSupport.freePort(), FixtureSupport.freePort());
            try {
                proxy.makeCertificate();
                proxy.writeConfig(nodes);
                proxy.launchAndAwaitListening(nginx);
                return proxy;
            } catch (RuntimeException | Error e) {
                // another process may have taken a port between picking and binding it: start again
                boolean portTaken = proxy.process != null && !proxy.process.isAlive()
                        && proxy.log().contains("Address already in use");
                proxy.close();
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The self-signed certificate (PEM) nginx presents, for clients to trust. */
    public Path certificate() {
        return dir.resolve("tls.crt");
    }

    public int httpsPort() {
        return httpsPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** nginx's stderr (its error log) so far. */
    public String log() {
        return FixtureSupport.read(log);
    }

    private void makeCertificate() {
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("tls.key").toString(), "-out", certificate().toString()));
    }

    private void run(List<String> command) {
        Path out = dir.resolve("openssl.log");
        try {
            Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            int code = FixtureSupport.awaitExit(FixtureSupport.track(openssl), 30, "openssl");
            if (code != 0) {
                throw new IllegalStateException(command + " exited with " + code + ": " + FixtureSupport.read(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command + " (is openssl installed?)", e);
        }
    }

    private void writeConfig(List<NodeProcess> nodes) {
        String site = FixtureSupport.read(CONFIG);
        Map<String, String> replacements = new java.util.LinkedHashMap<>();
        replacements.put("127.0.0.1:8080 ", "127.0.0.1:" + nodes.get(0).port() + " ");
        replacements.put("127.0.0.1:8090 ", "127.0.0.1:" + nodes.get(1).port() + " ");
        replacements.put("127.0.0.1:8081 ", "127.0.0.1:" + nodes.get(0).grpcPort() + " ");
        replacements.put("127.0.0.1:8091 ", "127.0.0.1:" + nodes.get(1).grpcPort() + " ");
        replacements.put("listen 443 ssl;", "listen 127.0.0.1:" + httpsPort + " ssl;");
        replacements.put("listen 8443 ssl http2;", "listen 127.0.0.1:" + grpcPort + " ssl http2;");
        replacements.put("/etc/nginx/dino/tls.crt", certificate().toString());
        replacements.put("/etc/nginx/dino/tls.key", dir.resolve("tls.key").toString());
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!site.contains(replacement.getKey())) {
                throw new IllegalStateException(CONFIG + " no longer contains '" + replacement.getKey()
                        + "': update " + NginxProcess.class.getSimpleName() + " with it");
            }
            site = site.replace(replacement.getKey(), replacement.getValue());
        }
        // the main context of /etc/nginx/nginx.conf, made to run unprivileged inside the temp dir
        String main = """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr notice;
                %2$s
                events {
                    worker_connections 1024;
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/dino.conf;
                }
                """.formatted(dir, "root".equals(System.getProperty("user.name")) ? "user root;" : "");
        try {
            Files.writeString(dir.resolve("dino.conf"), site, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("nginx.conf"), main, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launchAndAwaitListening(String nginx) {
        ProcessBuilder builder = new ProcessBuilder(nginx, "-e", "stderr", "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = FixtureSupport.track(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + builder.command(), e);
        }
        try {
            await("nginx listens on " + httpsPort + " and " + grpcPort)
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("nginx exited", () -> !process.isAlive())
                    .until(() -> FixtureSupport.accepts(httpsPort) && FixtureSupport.accepts(grpcPort));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("nginx did not start: " + e.getMessage() + "\n--- " + log + " ---\n"
                    + FixtureSupport.tail(log), e);
        }
    }

    /** Stops nginx (SIGTERM: the master stops its workers) and deletes its dir. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!FixtureSupport.exits(process, STOP_TIMEOUT_SECONDS)) {
                process.destroyForcibly();
                FixtureSupport.awaitExit(process, STOP_TIMEOUT_SECONDS, "nginx");
            }
        }
        FixtureSupport.deleteTree(dir);
    }
}
