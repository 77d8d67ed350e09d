package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.e2e.RolesApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A role change takes effect at once on every node: the node the backend calls tells the holders of the room
 * (through Redis), which drop what they cached of the room and re-check their sessions in it.
 */
class RoleChangeClusterTest {

    /**
     * Node A holds the room's members; node B holds no sessions: the backend calls it, so the change reaches A only
     * through Redis. The store changes the stored rules behind the nodes' backs (no control sent), as a stand-in for
     * any stored change.
     */
    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withStore();

    @Test
    void aRoomRoleChangeOnAnotherNodeReChecksTheRoomsSessionsWithWhatIsStoredNow() throws Exception {
        String room = "roles-recheck";
        EventRecorder stayerEvents = new EventRecorder();
        EventRecorder goerEvents = new EventRecorder();
        DinoClient stayer = cluster.a().client("sten", Set.of(), Map.of("age", "40"), stayerEvents);
        stayer.join(room).join();
        DinoClient goer = cluster.a().client("gil", Set.of(), Map.of("age", "16"), goerEvents);
        goer.join(room).join();
        // A caches the room's (empty) rules for its members' sends
        goer.send(room, "\"cached\"").join();
        stayerEvents.await(e -> "message".equals(e.path("event").asText()), TIMEOUT);

        cluster.store().acls().set(room, Map.of("join", "age=18:"));
        // nothing told A: gil may still send (cached rules)
        goer.send(room, "\"still in\"").join();
        assertThat(goerEvents.events("removed")).isEmpty();

        assertThat(RolesApiTestSupport.roles(cluster.b()).grantRole(GrantRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build()).getChanged()).isTrue();

        JsonNode removed = goerEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo(room);
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
        JsonNode left = stayerEvents.await(e -> "left".equals(e.path("event").asText()), TIMEOUT);
        assertThat(left.get("user").asText()).isEqualTo("gil");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.b().backend().listRoomMembers(
                ListRoomMembersRequest.newBuilder().setRoom(room).build()).getUsersList()).containsExactly("sten"));
        assertThat(stayerEvents.events("removed")).isEmpty();

        // a revoke re-checks too, and a session that still passes stays
        RolesApiTestSupport.roles(cluster.b()).revokeRole(RevokeRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build());
        stayer.send(room, "\"after\"").join();
        assertThat(stayerEvents.events("removed")).isEmpty();

        // a call that changes no role still tells the holders, so a retry after a failed send completes it
        cluster.store().acls().set(room, Map.of("join", "age=50:"));
        assertThat(RolesApiTestSupport.roles(cluster.b()).revokeRole(RevokeRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build()).getChanged()).isFalse();
        assertThat(stayerEvents.await("removed", TIMEOUT).get("room").asText()).isEqualTo(room);
    }
}
