package io.dino.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./dino token} mints only tokens the gateway accepts. */
class TokenCommandTest {

    @Test
    void refusesUserIdsTheGatewayWouldRefuse(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("dino.yaml"),
                "dino:\n  auth:\n    hmac-secrets: [\"" + TestNode.SECRET + "\"]\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Main.token(Optional.of(config), new ArrayList<>(List.of("alice")), new PrintStream(out));
        assertThat(out.toString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+\\R");

        out.reset();
        assertThatThrownBy(() -> Main.token(Optional.of(config), new ArrayList<>(List.of("system")), new PrintStream(out)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user id 'system' is reserved for messages from the backend");
        assertThat(out.size()).isZero();
    }
}
