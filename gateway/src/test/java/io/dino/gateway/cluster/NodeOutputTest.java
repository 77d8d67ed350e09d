package io.dino.gateway.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node process started with the JVM options of {@code ./dino run} ({@code ./dino java-opts}) and text logs:
 * its output has no stray library warnings (SLF4J without a provider, the JDK's sun.misc.Unsafe ones) and no
 * line in the other format, and its
 * last log line, "node ... stopped", is there after SIGTERM.
 */
class NodeOutputTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void startsWithoutLibraryWarningsAndLogsItsLastLineOnSigterm() throws Exception {
        Path dir = FixtureSupport.tempDir("dino-output-");
        try (RedisServer redis = RedisServer.start(RedisServer.Options.DEFAULT)) {
            int port = FixtureSupport.freePort();
            Path config = dir.resolve("dino.yaml");
            Files.writeString(config, NodeProcess.config(port, redis.uri(), "out-node", Map.of("dino.log.format", "text")));
            Path log = dir.resolve("node.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(Arrays.asList(launcherJavaOpts().split(" ")));
            command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.dino.gateway.Main", "run", "--config", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(name -> name.startsWith("DINO_") || name.startsWith("SERVER_"));
            Process node = FixtureSupport.track(builder.start());
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + port + "/observe/health/ready");
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .failFast("node exited", () -> !node.isAlive())
                        .until(() -> http.send(HttpRequest.newBuilder(ready).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

                node.destroy();  // SIGTERM
                assertThat(FixtureSupport.awaitExit(node, 20, "node process")).isIn(0, 143);
            } finally {
                node.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("node output").noneMatch(l -> l.contains("SLF4J") || l.contains("sun.misc.Unsafe"));
            assertThat(lines).as("text logs: not one JSON line, not even before the config is read")
                    .noneMatch(l -> l.startsWith("{"));
            assertThat(lines).as("text log lines").anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO +DinoNode: node out-node started .*"));
            assertThat(lines.getLast()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO +DinoNode: node out-node stopped");
        } finally {
            FixtureSupport.deleteTree(dir);
        }
    }

    private static String launcherJavaOpts() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("dino").toString(), "java-opts")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as("./dino java-opts: " + out).isZero();
        return out;
    }
}
