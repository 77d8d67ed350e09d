package io.dino.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadConfigTest {

    private static FanoutWorkload.Config fanout(String... args) {
        return FanoutWorkload.Config.from(Options.parse(List.of(args), FanoutWorkload.OPTIONS, FanoutWorkload.FLAGS, FanoutWorkload.REPEATABLE));
    }

    private static PublishWorkload.Config publish(String... args) {
        return PublishWorkload.Config.from(Options.parse(List.of(args), PublishWorkload.OPTIONS, PublishWorkload.FLAGS, PublishWorkload.REPEATABLE));
    }

    private static RecoverWorkload.Config recover(String... args) {
        return RecoverWorkload.Config.from(Options.parse(List.of(args), RecoverWorkload.OPTIONS, java.util.Set.of(), RecoverWorkload.REPEATABLE));
    }

    @Test
    void recoverNamesTheNodeToKillFirstAndDefaultsToTenThousandSessionsMissingTenMessages() {
        RecoverWorkload.Config config = recover("--url", "ws://127.0.0.1:18501/ws", "--url", "ws://127.0.0.1:18502/ws",
                "--grpc", "127.0.0.1:18503", "--api-key", "k", "--kill-pid", "4242", "--redis-pid", "7");

        assertThat(config.nodeA()).hasToString("ws://127.0.0.1:18501/ws");
        assertThat(config.nodeB()).hasToString("ws://127.0.0.1:18502/ws");
        assertThat(config.killPid()).isEqualTo(4242);
        assertThat(config.redisPid()).hasValue(7);
        assertThat(config.connections()).isEqualTo(10_000);
        assertThat(config.missed()).isEqualTo(10);
        assertThat(config.reconnectMin()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void recoverRefusesOneNodeOrNoPidToKill() {
        assertThatThrownBy(() -> recover("--url", "ws://127.0.0.1:1/ws", "--kill-pid", "4242"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--url must be given twice");
        assertThatThrownBy(() -> recover("--url", "ws://127.0.0.1:1/ws", "--url", "ws://127.0.0.1:2/ws"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--kill-pid is required");
    }

    @Test
    void fanoutReadsEveryOption() {
        FanoutWorkload.Config config = fanout("--url", "ws://10.0.0.1:8080/ws", "--url", "ws://10.0.0.2:8080/ws",
                "--grpc", "10.0.0.1:8080", "--api-key", "k", "--subscribers", "5000", "--rooms", "50", "--publishers", "20",
                "--rate", "100", "--ramp", "--ramp-factor", "2", "--step", "20s", "--max-rate", "2000", "--p99-limit", "25ms",
                "--duration", "1m", "--warmup", "0", "--drain", "3s", "--connect-rate", "200", "--http-clients", "3", "--max-in-flight", "64",
                "--node-pid", "99");

        assertThat(config.nodes()).extracting(Object::toString).containsExactly("ws://10.0.0.1:8080/ws", "ws://10.0.0.2:8080/ws");
        assertThat(config.grpc()).isEqualTo("10.0.0.1:8080");
        assertThat(config.subscribers()).isEqualTo(5000);
        assertThat(config.rooms()).isEqualTo(50);
        assertThat(config.publishers()).isEqualTo(20);
        assertThat(config.rate()).isEqualTo(100);
        assertThat(config.ramp()).isTrue();
        assertThat(config.rampFactor()).isEqualTo(2);
        assertThat(config.stepLength()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxRate()).isEqualTo(2000);
        assertThat(config.p99Limit()).isEqualTo(Duration.ofMillis(25));
        assertThat(config.warmup()).isZero();
        assertThat(config.drain()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.connectRate()).isEqualTo(200);
        assertThat(config.httpClients()).isEqualTo(3);
        assertThat(config.maxInFlight()).isEqualTo(64);
        assertThat(config.nodePid()).hasValue(99);
        assertThat(config.rampSettings()).isEqualTo(new Ramp.Settings(100, true, 2, 2000, 25));
        assertThat(config.layout()).isEqualTo(new Layout(5000, 50, 20, 2));
    }

    @Test
    void fanoutDefaults() {
        FanoutWorkload.Config config = fanout("--api-key", "k");

        assertThat(config.nodes()).extracting(Object::toString).containsExactly("ws://127.0.0.1:8080/ws");
        assertThat(config.grpc()).isEqualTo("127.0.0.1:8081");
        assertThat(config.subscribers()).isEqualTo(1000);
        assertThat(config.rooms()).isEqualTo(10);
        assertThat(config.publishers()).isEqualTo(10);
        assertThat(config.ramp()).isFalse();
        assertThat(config.rampFactor()).isEqualTo(1.5);
        assertThat(config.step()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.p99Limit()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.drain()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.httpClients()).isEqualTo(Fleet.defaultHttpClients()).isPositive();
        // Without --ramp, one step of --duration.
        assertThat(config.stepLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.rampSettings().plannedSteps()).isEqualTo(1);
    }

    @Test
    void fanoutRejectsRampsThatCannotClimb() {
        assertThatThrownBy(() -> fanout("--api-key", "k", "--ramp", "--ramp-factor", "1"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--ramp-factor");
        assertThatThrownBy(() -> fanout("--api-key", "k", "--ramp", "--rate", "500", "--max-rate", "100"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--max-rate");
        assertThatThrownBy(() -> fanout("--api-key", "k", "--duration", "0s"))
                .isInstanceOf(UsageException.class).hasMessageContaining("step length");
        assertThatThrownBy(() -> fanout("--api-key", "k", "--concurrency", "4"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option: --concurrency");
    }

    @Test
    void publishReadsEveryOption() {
        PublishWorkload.Config config = publish("--url", "ws://h:1/ws", "--url", "ws://h:2/ws", "--grpc", "h:1", "--api-key", "k",
                "--rooms", "3", "--subscribers", "0", "--concurrency", "64", "--duration", "5s", "--warmup", "0s",
                "--drain", "1s", "--rate", "5000", "--connect-rate", "100", "--node-pid", "7");

        assertThat(config.nodes()).hasSize(2);
        assertThat(config.rooms()).isEqualTo(3);
        assertThat(config.subscribers()).isZero();
        assertThat(config.concurrency()).isEqualTo(64);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.warmup()).isZero();
        assertThat(config.drain()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rate()).hasValue(5000);
        assertThat(config.connectRate()).isEqualTo(100);
        assertThat(config.nodePid()).hasValue(7);
    }

    @Test
    void publishDefaults() {
        PublishWorkload.Config config = publish("--api-key", "k");

        assertThat(config.rooms()).isEqualTo(10);
        assertThat(config.subscribers()).isEqualTo(1000);
        assertThat(config.concurrency()).isEqualTo(16);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.rate()).isEmpty();
        assertThatThrownBy(() -> publish("--api-key", "k", "--ramp")).isInstanceOf(UsageException.class);
    }

    @Test
    void newWorkloadsAreListedAndHaveHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(LoadGen.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(LoadGen.run(new String[] {"fanout", "--help"}, o, e)).isZero();
        assertThat(LoadGen.run(new String[] {"publish", "--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fanout", "publish", "--ramp-factor", "--p99-limit", "--concurrency");
        assertThat(LoadGen.run(new String[] {"fanout", "--api-key", "k", "--ramp=maybe"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ramp", "Usage: java -jar dino-loadgen.jar fanout");
    }
}
