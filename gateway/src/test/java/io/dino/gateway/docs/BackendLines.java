package io.dino.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.gateway.TestNode;
import io.dino.gateway.e2e.RolesApiTestSupport;
import io.dino.gateway.engine.Directory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code backend> CALL {json}} lines of docs/protocol.md's exchanges, made against a test node. */
final class BackendLines {

    private BackendLines() {
    }

    static void call(TestNode node, String call, JsonNode request) {
        switch (call) {
            case "SetRoomAcl" -> {
                SetRoomAclRequest.Builder acl = SetRoomAclRequest.newBuilder().setRoom(request.path("room").asText());
                request.path("rules").fields().forEachRemaining(rule -> acl.putRules(rule.getKey(), rule.getValue().asText()));
                node.backend().setRoomAcl(acl.build());
            }
            case "GrantRole" -> {
                GrantRoleRequest.Builder grant = GrantRoleRequest.newBuilder().setUser(request.path("user").asText())
                        .setRole(request.path("role").asText());
                if (request.has("room")) {
                    grant.setRoom(request.path("room").asText());
                } else {
                    grant.setChannel(request.path("channel").asText());
                }
                RolesApiTestSupport.roles(node).grantRole(grant.build());
            }
            // written into the directory until the Rooms service is merged: then these become its calls
            case "CreateChannel" -> assertThat(node.node().engine().directory().createChannel(new Directory.ChannelRecord(
                    request.path("id").asText(), request.path("name").asText(), 0, List.of(), texts(request.path("rules")))))
                    .isEqualTo(Directory.Outcome.DONE);
            case "CreateRoom" -> {
                Set<String> members = new HashSet<>();
                request.path("members").forEach(member -> members.add(member.asText()));
                assertThat(node.node().engine().directory().createRoom(new Directory.RoomRecord(request.path("id").asText(),
                        request.path("channel").asText(Directory.DEFAULT_CHANNEL), request.path("name").asText(),
                        Directory.RoomKind.valueOf(request.path("kind").asText().toUpperCase(Locale.ROOT)),
                        request.path("capacity").asInt(0), "", 0, "backend", members,
                        request.path("membershipEvents").asBoolean(true)))).isEqualTo(Directory.Outcome.DONE);
            }
            default -> throw new IllegalArgumentException("no such backend call in the examples: " + call);
        }
    }

    private static Map<String, String> texts(JsonNode rules) {
        Map<String, String> texts = new HashMap<>();
        rules.fields().forEachRemaining(rule -> texts.put(rule.getKey(), rule.getValue().asText()));
        return texts;
    }
}
