package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Display names of rooms and channels: trimmed, bounded, no control characters, reserved ones for operators only. */
class RoomNamesTest {

    private final RoomNames names = new RoomNames(new GatewayConfig.Rooms(true, 6, Set.of("Admin", "system"), 5, Duration.ZERO));

    private void refused(String name, boolean privileged, ErrorCode code, String message) {
        assertThatThrownBy(() -> names.valid("room", name, privileged)).isInstanceOfSatisfying(DinoException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void namesAreTrimmedAndCountedInCharactersUpToTheLimit() {
        assertThat(names.valid("room", "  Chess \t", false)).isEqualTo("Chess");
        assertThat(names.valid("room", "Échec", false)).isEqualTo("Échec");
        assertThat(names.valid("room", "😀😀😀😀😀😀", false)).as("code points, not UTF-16 units").hasSize(12);
        refused("Chess!!", false, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
        refused("", false, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
        refused("   ", false, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
        refused(null, false, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
        refused("a\u0000b", false, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
        refused("a\nb", true, ErrorCode.INVALID_VALUE, "room name must be 1-6 characters without control characters");
    }

    @Test
    void reservedNamesIgnoringCaseAreRefusedUnlessPrivileged() {
        refused("ADMIN", false, ErrorCode.NAME_RESERVED, "the name 'ADMIN' is reserved");
        refused(" system ", false, ErrorCode.NAME_RESERVED, "the name 'system' is reserved");
        assertThat(names.valid("room", "admin", true)).isEqualTo("admin");
        assertThat(names.valid("room", "admins", false)).isEqualTo("admin".concat("s"));
    }

    @Test
    void idsFollowTheRoomCharsetAndNameWhatTheyAre() {
        assertThat(RoomNames.id("channel", "games.eu-1")).isEqualTo("games.eu-1");
        assertThatThrownBy(() -> RoomNames.id("channel", "a b")).isInstanceOfSatisfying(DinoException.class,
                e -> assertThat(e.getMessage()).isEqualTo("channel may contain only letters, digits and . _ : - (got ' ')"));
        assertThatThrownBy(() -> RoomNames.id("channel", "")).isInstanceOfSatisfying(DinoException.class,
                e -> assertThat(e.getMessage()).isEqualTo("channel must be 1-64 characters"));
    }
}
