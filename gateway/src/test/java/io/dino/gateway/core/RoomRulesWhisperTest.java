package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may whisper in a room: the room's and the channel's message rules, then the channel's whisper rule. */
class RoomRulesWhisperTest {

    private static final ChannelRecord TAVERN = new ChannelRecord("tavern", "Tavern", 1, List.of(),
            Map.of("whisper", "role=regular;channel-admin", "message", "age=18:"));

    private static AclSubject in(String name, Map<String, String> attrs, String... roles) {
        return AclSubject.of(new Principal(name, Set.of(roles), attrs, Instant.MAX), true, true);
    }

    private static RoomRules rules(RoomKind kind, Set<String> members, Map<String, String> acl,
                                   Map<String, Set<String>> channelRoles) {
        RoomRecord record = new RoomRecord("bar", "tavern", "Bar", kind, 0, "", 0, "ann", members, true);
        return new RoomRules("bar", Optional.of(record), TAVERN, RoomAcl.parse(acl), Map.of(), channelRoles);
    }

    @Test
    void theChannelsWhisperRuleComesAfterTheMessageRules() {
        RoomRules bar = rules(RoomKind.STATIC, Set.of(), Map.of(), Map.of("cat", Set.of("admin")));
        assertThat(bar.checkWhisper(in("kid", Map.of("age", "12"), "regular")).failed()).isEqualTo("age=18:");
        assertThat(bar.checkWhisper(in("newcomer", Map.of("age", "30"))).failed()).isEqualTo("role=regular;channel-admin");
        assertThat(bar.checkWhisper(in("reg", Map.of("age", "30"), "regular")).passed()).isTrue();
        assertThat(bar.checkWhisper(in("cat", Map.of("age", "30"))).passed()).as("a stored channel role counts").isTrue();
    }

    @Test
    void theRoomsMessageRuleAndAPrivateRoomsMembershipDecideToo() {
        RoomRules muted = rules(RoomKind.STATIC, Set.of(), Map.of("message", "deny"), Map.of());
        assertThat(muted.checkWhisper(in("reg", Map.of("age", "30"), "regular")).failed()).isEqualTo("deny");
        RoomRules secret = rules(RoomKind.PRIVATE, Set.of("reg"), Map.of(), Map.of());
        assertThat(secret.checkWhisper(in("other", Map.of("age", "30"), "regular")).failed())
                .isEqualTo(RoomRules.PRIVATE_REFUSAL);
        assertThat(secret.checkWhisper(in("reg", Map.of("age", "30"), "regular")).passed()).isTrue();
    }

    @Test
    void operatorsPass() {
        RoomRules muted = rules(RoomKind.STATIC, Set.of(), Map.of("message", "deny"), Map.of());
        assertThat(muted.checkWhisper(in("op", Map.of(), "superuser")).passed()).isTrue();
    }
}
