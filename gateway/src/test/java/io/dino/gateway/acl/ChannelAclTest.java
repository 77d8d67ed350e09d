package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelAclTest {

    private static final Principal CHILD = new Principal("kid", Set.of(), Map.of("age", "12"), Instant.MAX);
    private static final Principal ADULT = new Principal("ann", Set.of(), Map.of("age", "30"), Instant.MAX);

    @Test
    void eachActionHasItsOwnRuleAndActionsWithoutOneAreOpen() {
        ChannelAcl acl = ChannelAcl.parse(Map.of("create", "age=18:", "whisper", "samechannel", "list", ""));
        assertThat(acl.check(AclSubject.of(CHILD), ChannelAction.CREATE).failed()).isEqualTo("age=18:");
        assertThat(acl.check(AclSubject.of(ADULT), ChannelAction.CREATE).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(CHILD), ChannelAction.LIST).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(CHILD), ChannelAction.MESSAGE).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(ADULT), ChannelAction.WHISPER).passed()).isFalse();
        assertThat(acl.check(AclSubject.of(ADULT, false, true), ChannelAction.WHISPER).passed()).isTrue();
        assertThat(acl.rule(ChannelAction.LIST)).isEmpty();
    }

    @Test
    void operatorsPassEveryRule() {
        ChannelAcl acl = ChannelAcl.parse(Map.of("crossroom", "deny", "create", "deny"));
        Principal operator = new Principal("op", Set.of(Principal.GLOBAL_MODERATOR), Map.of(), Instant.MAX);
        assertThat(acl.check(AclSubject.of(operator), ChannelAction.CROSSROOM).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(operator), ChannelAction.CREATE).passed()).isTrue();
    }

    @Test
    void noRulesIsOpen() {
        assertThat(ChannelAcl.parse(Map.of())).isSameAs(ChannelAcl.OPEN);
        assertThat(ChannelAcl.parse(Map.of("create", " "))).isSameAs(ChannelAcl.OPEN);
        assertThat(ChannelAcl.OPEN.isOpen()).isTrue();
    }

    @Test
    void unknownActionsListTheChannelActions() {
        assertThatThrownBy(() -> ChannelAcl.parse(Map.of("join", "deny")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown action 'join' (channel actions: list, create, message, crossroom, whisper)");
        assertThatThrownBy(() -> ChannelAcl.parse(Map.of("create", "(a=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule for 'create' at character 5: expected ')' to close the '(' at character 1");
    }

    @Test
    void textsAreCanonicalAndParseBackEqual() {
        ChannelAcl acl = ChannelAcl.parse(Map.of("message", " age = 18 : ", "crossroom", "samechannel , role = vip"));
        assertThat(acl.texts()).containsExactly(Map.entry("crossroom", "samechannel,role=vip"), Map.entry("message", "age=18:"));
        assertThat(ChannelAcl.parse(acl.texts())).isEqualTo(acl);
        assertThat(acl).isNotEqualTo(ChannelAcl.OPEN);
    }

    @Test
    void roomActionsIncludeListAutojoinAndCrossroom() {
        RoomAcl acl = RoomAcl.parse(Map.of("list", "age=18:", "autojoin", "sameroom|age=18:", "crossroom", "samechannel"));
        assertThat(acl.check(AclSubject.of(CHILD), RoomAction.LIST).passed()).isFalse();
        assertThat(acl.check(AclSubject.of(CHILD, true, true), RoomAction.AUTOJOIN).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(CHILD, false, true), RoomAction.CROSSROOM).passed()).isTrue();
        assertThat(acl.check(AclSubject.of(CHILD), RoomAction.CROSSROOM).failed()).isEqualTo("samechannel");
    }
}
