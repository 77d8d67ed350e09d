package io.dino.gateway.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/operations.md's walkthrough from a bare machine, steps 2 to 4, as written: the distribution archive `mvn
 * package` makes (target/dino-VERSION-dist.tar.gz) is unpacked, gets the walkthrough's config (only Redis's
 * address replaced by a test redis-server's) and its secrets' environment names, and two nodes start the way the
 * template unit config/dino@.service starts them (its ExecStart and Environment lines, the instance being the
 * port). Both become ready on Redis, serve metrics and the admin console, and stop on SIGTERM. Run by failsafe
 * after package (integration-test phase), on a machine with only a JDK.
 */
class DistributionIT {

    private static final Path WALKTHROUGH = Path.of("..", "docs", "operations.md");
    private static final Path TEMPLATE_UNIT = Path.of("..", "config", "dino@.service");
    private static final String INSTALL_DIR = "/opt/dino";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theWalkthroughsTwoNodesRunFromTheUnpackedArchiveOnRedis() throws Exception {
        String walkthrough = walkthrough();
        String unit = Files.readString(TEMPLATE_UNIT);
        Path dir = FixtureSupport.tempDir("dino-dist-");
        List<Process> nodes = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            Path home = unpack(archive(), dir);
            assertThat(home.resolve("lib/dino-gateway.jar")).exists();
            assertThat(home.resolve("config/dino@.service")).hasSameTextualContentAs(TEMPLATE_UNIT);
            String config = heredoc(walkthrough, "YAML");
            assertThat(config).contains("redis://127.0.0.1:6379");
            Files.writeString(home.resolve("config/dino.yaml"), config.replace("redis://127.0.0.1:6379", redis.uri()));

            List<Integer> ports = List.of(portWithFreeNext(), portWithFreeNext());
            for (int port : ports) {
                nodes.add(startInstance(home, unit, walkthrough, port, dir.resolve("node-" + port + ".log")));
            }
            for (int i = 0; i < ports.size(); i++) {
                Process node = nodes.get(i);
                int port = ports.get(i);
                Path log = dir.resolve("node-" + port + ".log");
                await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                        .failFast("node exited: " + FixtureSupport.read(log), () -> !node.isAlive())
                        .until(() -> get(port, "/observe/health/ready").statusCode() == 200);
            }
            for (int port : ports) {
                assertThat(get(port, "/observe/info").body()).containsPattern("\"engine\"\\s*:\\s*\"redis\"");
                assertThat(get(port, "/observe/metrics").body()).contains("dino_connections");
                assertThat(get(port, "/admin/").statusCode()).as("the admin console the config turns on").isEqualTo(200);
            }
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).destroy();  // SIGTERM, to the JVM itself: bin/dino execs java
                assertThat(FixtureSupport.awaitExit(nodes.get(i), 30, "distribution node")).isIn(0, 143);
                List<String> lines = Files.readAllLines(dir.resolve("node-" + ports.get(i) + ".log"),
                        StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
                assertThat(lines.getLast()).contains("stopped");
            }
        } finally {
            nodes.forEach(Process::destroyForcibly);
            FixtureSupport.deleteTree(dir);
        }
    }

    /** Starts one instance of the template unit: its ExecStart under {@code home}, its environment, the secrets. */
    private static Process startInstance(Path home, String unit, String walkthrough, int port, Path log)
            throws IOException {
        String execStart = unitLines(unit, "ExecStart").getFirst().replace(INSTALL_DIR, home.toString());
        ProcessBuilder builder = new ProcessBuilder(execStart.split(" "))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DINO_") || name.startsWith("SERVER_"));
        for (String assignment : unitLines(unit, "Environment")) {
            String[] pair = assignment.split("=", 2);
            env.put(pair[0], pair[1].replace("%i", Integer.toString(port)));
        }
        assertThat(env).containsEntry("SERVER_PORT", Integer.toString(port));
        env.put("DINO_JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1");  // the unit's 1 GiB is for production
        for (String secret : heredoc(walkthrough, "ENV").lines().toList()) {
            env.put(secret.substring(0, secret.indexOf('=')), randomHex(32));
        }
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return FixtureSupport.track(builder.start());
    }

    /** The walkthrough's section of operations.md. */
    private static String walkthrough() throws IOException {
        String operations = Files.readString(WALKTHROUGH);
        int start = operations.indexOf("### From a bare machine");
        assertThat(start).as("the walkthrough in docs/operations.md").isNotNegative();
        return operations.substring(start, operations.indexOf("\n### ", start + 1));
    }

    /** The text of the walkthrough's here-document ending at {@code marker}. */
    private static String heredoc(String text, String marker) {
        Matcher body = Pattern.compile("<<'?" + marker + "'?\\n(.*?)\\n" + marker + "\\n", Pattern.DOTALL).matcher(text);
        assertThat(body.find()).as("a here-document <<" + marker).isTrue();
        return body.group(1) + "\n";
    }

    private static List<String> unitLines(String unit, String key) {
        return unit.lines().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .toList();
    }

    private static Path archive() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("dino-.*-dist\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/dino-*-dist.tar.gz: run mvn package"));
        }
    }

    private static Path unpack(Path archive, Path dir) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        try (Stream<Path> unpacked = Files.list(dir)) {
            return unpacked.findFirst().orElseThrow();
        }
    }

    /** A free port whose next one is free too: the node's gRPC listener takes server.port + 1. */
    private static int portWithFreeNext() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FixtureSupport.freePort();
            try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free pair of ports");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
