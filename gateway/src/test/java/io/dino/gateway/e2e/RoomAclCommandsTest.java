package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.RoleScope;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The session commands acl and setacl: who may set a room's rules, and that they apply at once (memory engine). */
class RoomAclCommandsTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @Test
    void theOwnerSetsTheRulesAndAMemberWhoNoLongerPassesIsRemoved() {
        EventRecorder annEvents = new EventRecorder();
        DinoClient ann = single.node().client("acl-ann", annEvents);
        String room = ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "Adults")).join().get("room").asText();
        EventRecorder kidEvents = new EventRecorder();
        DinoClient kid = single.node().client("acl-kid", Set.of(), Map.of("gender", "m"), kidEvents);
        kid.join(room).join();

        JsonNode set = ann.setRoomAcl(room, Map.of("join", " gender = f ")).join();
        assertThat(set.get("rules").toString()).isEqualTo("{\"join\":\"gender=f\"}");
        await().atMost(TIMEOUT).until(() -> kidEvents.events().stream()
                .anyMatch(e -> e.path("event").asText().equals("removed") && e.path("room").asText().equals(room)));
        assertThat(kid.roomAcl(room).join().get("rules").toString()).isEqualTo("{\"join\":\"gender=f\"}");
        assertThat(refusal(kid.join(room)).name()).isEqualTo("NOT_ALLOWED");
    }

    @Test
    void strangersMayNotSetRulesAndAChannelAdminMay() {
        single.backend().createChannel("acl-chan", "", 0, java.util.List.of(), Map.of());
        DinoClient owner = single.node().client("acl-owner", new EventRecorder());
        String room = owner.createRoom(owner.newFields().put("kind", "ephemeral").put("name", "Mine").put("channel", "acl-chan"))
                .join().get("room").asText();

        DinoException refused = refusal(single.node().client("acl-stranger", new EventRecorder())
                .setRoomAcl(room, Map.of("join", "deny")));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to set the access rules of room '" + room
                + "': needs to be an owner of the room or an owner or admin of its channel");
        assertThat(owner.roomAcl(room).join().get("rules").size()).isZero();

        single.backend().grantRole(RoleScope.ROLE_SCOPE_CHANNEL, "acl-chan", "acl-admin", "admin");
        DinoClient admin = single.node().client("acl-admin", new EventRecorder());
        assertThat(admin.setRoomAcl(room, Map.of("message", "role=vip")).join().get("rules").get("message").asText())
                .isEqualTo("role=vip");
    }

    @Test
    void anOpenRoomsRulesAreForOperatorsAndBadRulesAreRefusedWithTheParsersMessage() {
        DinoClient plain = single.node().client("acl-plain", new EventRecorder());
        assertThat(refusal(plain.setRoomAcl("acl-open-room", Map.of("join", "deny"))).name()).isEqualTo("NO_SUCH_ROOM");
        DinoClient operator = single.node().operatorClient("acl-op", new EventRecorder());
        assertThat(operator.setRoomAcl("acl-open-room", Map.of("join", "deny")).join().get("rules").get("join").asText())
                .isEqualTo("deny");
        DinoException bad = refusal(operator.setRoomAcl("acl-open-room", Map.of("join", "(age=1")));
        assertThat(bad.name()).isEqualTo("INVALID_VALUE");
        assertThat(bad.getMessage()).startsWith("rule for 'join' at character");
    }
}
