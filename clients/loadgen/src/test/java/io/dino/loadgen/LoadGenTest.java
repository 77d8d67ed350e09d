package io.dino.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadGenTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LoadGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownWorkloadPrintsUsageOnStderrAndExitsWith2() {
        assertThat(run("stampede")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown workload: stampede", "Usage:", "idle");
        assertThat(out.size()).isZero();
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage:");
    }

    @Test
    void workloadHelpGoesToStdout() {
        assertThat(run("idle", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--connections", "--node-pid", "--api-key");
    }

    @Test
    void badWorkloadOptionsExitWith2BeforeConnecting() {
        assertThat(run("idle", "--api-key", "k", "--connections", "lots")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--connections must be a positive integer", "Usage: java -jar dino-loadgen.jar idle");
    }

    @Test
    void idleConfigReadsEveryOption() {
        Options options = Options.parse(List.of("--url", "ws://10.0.0.5:9000/ws", "--grpc", "10.0.0.5:9000", "--api-key", "secret",
                "--connections", "5000", "--rate", "200", "--hold", "30s", "--node-pid", "4242"), IdleWorkload.OPTIONS);

        IdleWorkload.Config config = IdleWorkload.Config.from(options);

        assertThat(config.target().url().toString()).isEqualTo("ws://10.0.0.5:9000/ws");
        assertThat(config.target().grpc()).isEqualTo("10.0.0.5:9000");
        assertThat(config.target().apiKey()).isEqualTo("secret");
        assertThat(config.connections()).isEqualTo(5000);
        assertThat(config.rate()).isEqualTo(200);
        assertThat(config.hold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.nodePid()).hasValue(4242);
    }

    @Test
    void idleConfigDefaults() {
        IdleWorkload.Config config = IdleWorkload.Config.from(Options.parse(List.of("--api-key", "k"), IdleWorkload.OPTIONS));

        assertThat(config.target().url().toString()).isEqualTo("ws://127.0.0.1:8080/ws");
        assertThat(config.target().grpc()).isEqualTo("127.0.0.1:8081");
        assertThat(config.connections()).isEqualTo(1000);
        assertThat(config.rate()).isEqualTo(500);
        assertThat(config.hold()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.nodePid()).isEmpty();
    }

    @Test
    void idleRejectsOptionsOfOtherWorkloads() {
        assertThatThrownBy(() -> Options.parse(List.of("--rooms", "10"), IdleWorkload.OPTIONS)).isInstanceOf(UsageException.class);
    }

    @Test
    void nodeReportGivesTheGrowthPerConnection() {
        ObjectNode node = IdleWorkload.nodeReport(new NodeProbe.Sample(200_000, 50_000), new NodeProbe.Sample(300_000, 70_000), 1000);

        assertThat(node.get("rssBeforeKiB").asLong()).isEqualTo(200_000);
        assertThat(node.get("rssAfterKiB").asLong()).isEqualTo(300_000);
        assertThat(node.get("heapBeforeKiB").asLong()).isEqualTo(50_000);
        assertThat(node.get("heapAfterKiB").asLong()).isEqualTo(70_000);
        assertThat(node.get("rssPerConnectionBytes").asLong()).isEqualTo(100_000L * 1024 / 1000);
        assertThat(node.get("heapPerConnectionBytes").asLong()).isEqualTo(20_000L * 1024 / 1000);
    }

    @Test
    void nodeReportWithoutConnectionsHasNoPerConnectionFigures() {
        ObjectNode node = IdleWorkload.nodeReport(new NodeProbe.Sample(1, 1), new NodeProbe.Sample(2, 2), 0);

        assertThat(node.get("rssPerConnectionBytes").isNull()).isTrue();
        assertThat(node.get("heapPerConnectionBytes").isNull()).isTrue();
    }
}
