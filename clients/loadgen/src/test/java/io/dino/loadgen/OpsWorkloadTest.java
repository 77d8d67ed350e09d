package io.dino.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpsWorkloadTest {

    private static OpsWorkload.Config config(String... args) {
        return OpsWorkload.Config.from(Options.parse(List.of(args), OpsWorkload.OPTIONS));
    }

    @Test
    void readsEveryOption() {
        OpsWorkload.Config config = config("--url", "ws://10.0.0.1:18081/ws", "--grpc", "10.0.0.1:18081", "--api-key", "k",
                "--ops", "history, join", "--count", "500", "--warmup", "0", "--members", "8", "--users", "1000",
                "--redis", "redis://10.0.0.2:6391");

        assertThat(config.target().url()).hasToString("ws://10.0.0.1:18081/ws");
        assertThat(config.target().grpc()).isEqualTo("10.0.0.1:18081");
        assertThat(config.ops()).containsExactly(Operation.HISTORY, Operation.JOIN);
        assertThat(config.count()).isEqualTo(500);
        assertThat(config.warmup()).isZero();
        assertThat(config.members()).isEqualTo(8);
        assertThat(config.users()).isEqualTo(1000);
        assertThat(config.usersOnline()).isEqualTo(500);
        assertThat(config.redis()).hasValueSatisfying(uri -> assertThat(uri.getPort()).isEqualTo(6391));
    }

    @Test
    void defaults() {
        OpsWorkload.Config config = config("--api-key", "k");

        assertThat(config.target().url()).hasToString("ws://127.0.0.1:8080/ws");
        assertThat(config.ops()).containsExactly(Operation.JOIN, Operation.JOIN_MEMBERS, Operation.HISTORY, Operation.PUBLISH_USERS);
        assertThat(config.count()).isEqualTo(2000);
        assertThat(config.warmup()).isEqualTo(200);
        assertThat(config.members()).isEqualTo(3);
        assertThat(config.users()).isEqualTo(100);
        assertThat(config.usersOnline()).isEqualTo(50);
        assertThat(config.redis()).isEmpty();
    }

    @Test
    void rejectsBadOperationListsAndLimits() {
        assertThatThrownBy(() -> config("--api-key", "k", "--ops", "join,leave"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown operation 'leave'").hasMessageContaining("publish-users");
        assertThatThrownBy(() -> config("--api-key", "k", "--ops", "join,join"))
                .isInstanceOf(UsageException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> config("--api-key", "k", "--ops", ""))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown operation ''");
        assertThatThrownBy(() -> config("--api-key", "k", "--users", "1001"))
                .isInstanceOf(UsageException.class).hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> config("--api-key", "k", "--count", "0")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> config("--api-key", "k", "--redis", "http://127.0.0.1:6379"))
                .isInstanceOf(UsageException.class).hasMessageContaining("redis URL");
        assertThatThrownBy(() -> config("--api-key", "k", "--rooms", "3"))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option: --rooms");
    }

    @Test
    void isListedAndHasHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(LoadGen.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(LoadGen.run(new String[] {"ops", "--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("ops ", "--ops LIST", "--members K", "--redis URL", "commands >= round trips");
    }
}
