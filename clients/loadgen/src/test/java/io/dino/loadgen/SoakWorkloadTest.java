package io.dino.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakWorkloadTest {

    @Test
    void theConnectionGaugeIsReadFromPrometheusTextSummedOverItsSeries() {
        String metrics = """
                # TYPE dino_connections gauge
                dino_connections{node="a",scope="vendor"} 12.0
                dino_connections{node="b",scope="vendor"} 3.0
                dino_connections_other 99
                """;
        assertThat(SoakWorkload.connectionsGauge(metrics)).isEqualTo(15.0);
        assertThat(SoakWorkload.connectionsGauge("dino_errors_total 1\n")).isEqualTo(-1);
    }

    @Test
    void optionsHaveDefaultsAndTheMetricsEndpointFollowsTheUrl() {
        SoakWorkload.Config config = SoakWorkload.Config.from(Options.parse(
                List.of("--api-key", "k", "--url", "ws://10.0.0.5:9000/ws", "--duration", "30m", "--churn", "20"),
                SoakWorkload.OPTIONS, Set.of(), Set.of()));
        assertThat(config.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.churn()).isEqualTo(20);
        assertThat(config.abrupt()).isEqualTo(0.5);
        assertThat(config.connections()).isEqualTo(1000);
        assertThat(config.metrics().toString()).isEqualTo("http://10.0.0.5:9000/observe/metrics");
    }

    @Test
    void anAbruptFractionAboveOneIsRefused() {
        assertThatThrownBy(() -> SoakWorkload.Config.from(Options.parse(List.of("--api-key", "k", "--abrupt", "1.5"),
                SoakWorkload.OPTIONS, Set.of(), Set.of()))).isInstanceOf(UsageException.class).hasMessageContaining("--abrupt");
    }
}
