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
    void optionalUrlIsEmptyUnlessGivenAndCheckedWhenGiven() {
        Set<String> known = Set.of("redis");

        assertThat(Options.parse(List.of(), known).optionalUri("redis", Set.of("redis"))).isEmpty();
        assertThat(Options.parse(List.of("--redis", "redis://h:6391"), known).optionalUri("redis", Set.of("redis")))
                .hasValueSatisfying(uri -> assertThat(uri.getPort()).isEqualTo(6391));
        assertThatThrownBy(() -> Options.parse(List.of("--redis", "h:6391"), known).optionalUri("redis", Set.of("redis")))
                .isInstanceOf(UsageException.class).hasMessageContaining("redis URL");
    }

    @Test
    void requiredOptionMustBeGiven() {
        Options options = Options.parse(List.of(), Set.of("api-key"));

        assertThatThrownBy(() -> options.required("api-key", null))
                .isInstanceOf(UsageException.class).hasMessageContaining("--api-key is required");
        assertThat(Options.parse(List.of("--api-key", "k"), Set.of("api-key")).required("api-key", null)).isEqualTo("k");
    }

    @Test
    void flagsTakeNoValueUnlessExplicitlyTrueOrFalse() {
        Set<String> known = Set.of("ramp", "rate");
        Set<String> flags = Set.of("ramp");

        assertThat(Options.parse(List.of("--ramp", "--rate", "5"), known, flags, Set.of()).flag("ramp")).isTrue();
        assertThat(Options.parse(List.of("--rate", "5"), known, flags, Set.of()).flag("ramp")).isFalse();
        assertThat(Options.parse(List.of("--ramp=false"), known, flags, Set.of()).flag("ramp")).isFalse();
        assertThat(Options.parse(List.of("--ramp=true"), known, flags, Set.of()).flag("ramp")).isTrue();
        assertThatThrownBy(() -> Options.parse(List.of("--ramp=yes"), known, flags, Set.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("takes no value");
        // A flag does not swallow the next argument.
        assertThat(Options.parse(List.of("--ramp", "--rate=7"), known, flags, Set.of()).string("rate", "")).isEqualTo("7");
    }

    @Test
    void repeatableOptionsKeepEveryValueInOrder() {
        Options options = Options.parse(List.of("--url", "ws://a:1/ws", "--url=ws://b:2/ws"), Set.of("url", "grpc"), Set.of(), Set.of("url"));

        assertThat(options.strings("url")).containsExactly("ws://a:1/ws", "ws://b:2/ws");
        assertThat(options.uris("url", "ws://x/ws", Set.of("ws")).stream().map(u -> u.getHost()).toList()).containsExactly("a", "b");
        assertThat(Options.parse(List.of(), Set.of("url"), Set.of(), Set.of("url")).uris("url", "ws://x:9/ws", Set.of("ws")))
                .singleElement().hasToString("ws://x:9/ws");
        assertThatThrownBy(() -> Options.parse(List.of("--grpc", "a", "--grpc", "b"), Set.of("url", "grpc"), Set.of(), Set.of("url")))
                .isInstanceOf(UsageException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Options.parse(List.of("--url", "ws://a/ws", "--url", "http://b/ws"), Set.of("url"), Set.of(), Set.of("url"))
                .uris("url", "ws://x/ws", Set.of("ws"))).isInstanceOf(UsageException.class).hasMessageContaining("http://b/ws");
    }

    @Test
    void numbersAndMillis() {
        Set<String> known = Set.of("rate", "subscribers", "limit");
        Options options = Options.parse(List.of("--rate", "1.5", "--subscribers", "0", "--limit", "50"), known);

        assertThat(options.positiveDouble("rate", 1)).isEqualTo(1.5);
        assertThat(options.optionalPositiveDouble("rate")).hasValue(1.5);
        assertThat(Options.parse(List.of(), known).optionalPositiveDouble("rate")).isEmpty();
        assertThat(options.nonNegativeInt("subscribers", 7)).isZero();
        assertThat(options.millis("limit", Duration.ZERO)).isEqualTo(Duration.ofMillis(50));
        assertThat(Options.parse(List.of("--limit", "2.5"), known).millis("limit", Duration.ZERO)).isEqualTo(Duration.ofNanos(2_500_000));
        assertThat(Options.parse(List.of("--limit", "1s"), known).millis("limit", Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> Options.parse(List.of("--rate", "0"), known).positiveDouble("rate", 1)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--rate", "Infinity"), known).positiveDouble("rate", 1)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--subscribers", "-1"), known).nonNegativeInt("subscribers", 1))
                .isInstanceOf(UsageException.class);
    }
}
