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
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distribution archive `mvn package` makes (target/dino-VERSION-dist.tar.gz) runs from anywhere with only a
 * JDK: unpacked into a temp dir, its bin/dino starts a node that becomes ready, and stops on SIGTERM. Run by
 * failsafe after package (integration-test phase).
 */
class DistributionIT {

    @Test
    void theUnpackedArchiveRunsANode() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("dino-.*-dist\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/dino-*-dist.tar.gz: run mvn package"));
        }
        Path dir = FixtureSupport.tempDir("dino-dist-");
        try {
            assertThat(run(new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())))
                    .isZero();
            Path home;
            try (Stream<Path> unpacked = Files.list(dir)) {
                home = unpacked.findFirst().orElseThrow();
            }
            assertThat(home.resolve("lib/dino-gateway.jar")).exists();
            assertThat(home.resolve("config/dino-dev.yaml")).exists();
            int port = FixtureSupport.freePort();
            Files.writeString(home.resolve("config/dino.yaml"), NodeProcess.config(port, "memory", null, "dist-node",
                    java.util.Map.of("dino.log.format", "text")));
            Path log = dir.resolve("node.log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/dino").toString(), "run")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("DINO_") || name.startsWith("SERVER_"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("DINO_JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1");
            Process node = FixtureSupport.track(builder.start());
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + port + "/observe/health/ready");
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .failFast("node exited: " + FixtureSupport.read(log), () -> !node.isAlive())
                        .until(() -> http.send(HttpRequest.newBuilder(ready).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                node.destroy();  // SIGTERM, to the JVM itself: bin/dino execs java
                assertThat(FixtureSupport.awaitExit(node, 20, "distribution node")).isIn(0, 143);
            } finally {
                node.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines.getLast()).endsWith("DinoNode: node dist-node stopped");
        } finally {
            FixtureSupport.deleteTree(dir);
        }
    }

    private static int run(ProcessBuilder builder) throws IOException, InterruptedException {
        return builder.inheritIO().start().waitFor();
    }
}
