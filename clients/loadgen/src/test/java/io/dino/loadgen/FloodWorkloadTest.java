package io.dino.loadgen;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FloodWorkloadTest {

    private static FloodWorkload.Config parse(String... args) {
        return FloodWorkload.Config.from(Options.parse(List.of(args), FloodWorkload.OPTIONS, Set.of(), Set.of()));
    }

    @Test
    void defaultsAreTwentyPacedSessionsAndOneFlooderOfSends() {
        FloodWorkload.Config config = parse("--api-key", "k");
        assertThat(config.sessions()).isEqualTo(20);
        assertThat(config.rate()).isEqualTo(10);
        assertThat(config.flooders()).isEqualTo(1);
        assertThat(config.flood()).isEqualTo("send");
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.warmup()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void zeroFloodersIsTheBaselineAndTheFloodIsSendOrPing() {
        FloodWorkload.Config config = parse("--api-key", "k", "--flooders", "0", "--flood", "ping", "--sessions", "5");
        assertThat(config.flooders()).isZero();
        assertThat(config.flood()).isEqualTo("ping");
        assertThat(config.sessions()).isEqualTo(5);
        assertThatThrownBy(() -> parse("--api-key", "k", "--flood", "join")).isInstanceOf(UsageException.class);
    }

    @Test
    void theWorkloadIsListed() {
        assertThat(LoadGen.usage()).contains("flood");
    }
}
