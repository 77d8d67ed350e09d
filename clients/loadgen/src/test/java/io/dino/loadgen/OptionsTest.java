package io.dino.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    private static final Set<String> KNOWN = Set.of("url", "connections", "hold", "node-pid");

    @Test
    void acceptsSeparateAndInlineValues() {
        Options options = Options.parse(List.of("--connections", "250", "--hold=2m", "--url", "ws://h:1/ws"), KNOWN);

        assertThat(options.positiveInt("connections", 1)).isEqualTo(250);
        assertThat(options.duration("hold", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.uri("url", "ws://x/ws", Set.of("ws")).getPort()).isEqualTo(1);
    }

    @Test
    void missingOptionsTakeTheirDefaults() {
        Options options = Options.parse(List.of(), KNOWN);

        assertThat(options.positiveInt("connections", 1000)).isEqualTo(1000);
        assertThat(options.duration("hold", Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.optionalPositiveLong("node-pid")).isEmpty();
        assertThat(options.string("url", "ws://127.0.0.1:8080/ws")).isEqualTo("ws://127.0.0.1:8080/ws");
    }

    @Test
    void rejectsUnknownRepeatedAndValuelessOptions() {
        assertThatThrownBy(() -> Options.parse(List.of("--conections", "5"), KNOWN))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option: --conections");
        assertThatThrownBy(() -> Options.parse(List.of("--hold", "1s", "--hold", "2s"), KNOWN))
                .isInstanceOf(UsageException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Options.parse(List.of("--hold"), KNOWN))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse(List.of("stray"), KNOWN))
                .isInstanceOf(UsageException.class).hasMessageContaining("unexpected argument");
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> Options.parse(List.of("--connections", "0"), KNOWN).positiveInt("connections", 1))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--connections", "ten"), KNOWN).positiveInt("connections", 1))
                .isInstanceOf(UsageException.class).hasMessageContaining("ten");
        assertThatThrownBy(() -> Options.parse(List.of("--node-pid", "-3"), KNOWN).optionalPositiveLong("node-pid"))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--url", "http://h/ws"), KNOWN).uri("url", "", Set.of("ws", "wss")))
                .isInstanceOf(UsageException.class).hasMessageContaining("ws or wss");
        assertThatThrownBy(() -> Options.parse(List.of("--hold", "soon"), KNOWN).duration("hold", Duration.ZERO))
                .isInstanceOf(UsageException.class).hasMessageContaining("soon");
    }

    @Test
    void parsesDurations() {
        assertThat(Options.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Options.parseDuration("d", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Options.parseDuration("d", "15")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Options.parseDuration("d", "3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Options.parseDuration("d", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Options.parseDuration("d", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Options.parseDuration("d", "PT-1S")).isInstanceOf(UsageException.class);
    }

    @Test
    void requiredOptionMustBeGiven() {
        Options options = Options.parse(List.of(), Set.of("api-key"));

        assertThatThrownBy(() -> options.required("api-key", null))
                .isInstanceOf(UsageException.class).hasMessageContaining("--api-key is required");
        assertThat(Options.parse(List.of("--api-key", "k"), Set.of("api-key")).required("api-key", null)).isEqualTo("k");
    }
}
