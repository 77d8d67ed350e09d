package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomAclTest {

    private static final Principal ADULT = new Principal("ann", Set.of(), Map.of("age", "30"), Instant.MAX);
    private static final Principal CHILD = new Principal("kid", Set.of(), Map.of("age", "12"), Instant.MAX);

    @Test
    void actionsWithoutARuleAreOpen() {
        RoomAcl acl = RoomAcl.parse(Map.of("join", "age=18:", "history", " "));
        assertThat(acl.check(CHILD, RoomAction.JOIN).passed()).isFalse();
        assertThat(acl.check(CHILD, RoomAction.HISTORY).passed()).isTrue();
        assertThat(acl.check(CHILD, RoomAction.MESSAGE).passed()).isTrue();
        assertThat(acl.check(ADULT, RoomAction.JOIN).passed()).isTrue();
        assertThat(acl.texts()).isEqualTo(Map.of("join", "age=18:"));
    }

    @Test
    void anEmptyMapOrOnlyBlankRulesIsOpen() {
        assertThat(RoomAcl.parse(Map.of())).isSameAs(RoomAcl.OPEN);
        assertThat(RoomAcl.parse(Map.of("join", "", "members", "  "))).isSameAs(RoomAcl.OPEN);
    }

    @Test
    void operatorsPassEveryRule() {
        RoomAcl acl = RoomAcl.parse(Map.of("join", "deny", "message", "deny"));
        for (String role : new String[]{Principal.SUPER_USER, Principal.GLOBAL_MODERATOR}) {
            Principal operator = new Principal("op", Set.of(role), Map.of(), Instant.MAX);
            assertThat(acl.check(operator, RoomAction.JOIN).passed()).isTrue();
            assertThat(acl.check(operator, RoomAction.MESSAGE).passed()).isTrue();
        }
        assertThat(acl.check(ADULT, RoomAction.JOIN).failed()).isEqualTo("deny");
    }

    @Test
    void unknownActionsAndInvalidRulesAreRefusedNamingTheAction() {
        assertThatThrownBy(() -> RoomAcl.parse(Map.of("whisper", "deny")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown action 'whisper' (room actions: join, message, history, members, list, autojoin, crossroom)");
        assertThatThrownBy(() -> RoomAcl.parse(Map.of("join", "age=")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule for 'join' at character 5: expected a value after '='");
    }

    @Test
    void textsRoundTrip() {
        RoomAcl acl = RoomAcl.parse(Map.of("join", "(age=35:|gender=f),membership=!normal", "members", "role=staff"));
        assertThat(RoomAcl.parse(acl.texts())).isEqualTo(acl);
    }
}
