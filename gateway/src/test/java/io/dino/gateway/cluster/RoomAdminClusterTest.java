package io.dino.gateway.cluster;

import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renames, removals and channel-scope role changes made through node A reach the sessions node B holds,
 * through the Redis control plane (A holds no session of the room).
 */
class RoomAdminClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withBackendClients().withStore();

    @Test
    void aRenameAndARemovalThroughNodeAReachTheSessionsOnNodeB() throws Exception {
        cluster.backendOnA().createChannel("cl-games", "Games", 1, List.of(), Map.of());
        String room = cluster.backendOnA().createRoom(CreateRoomRequest.newBuilder().setId("cl-chess").setChannel("cl-games")
                .setName("Chess").setTopic("one move a day").setKind(RoomKind.ROOM_KIND_STATIC).addOwners("olga").build()).getId();
        EventRecorder events = new EventRecorder();
        DinoClient player = cluster.b().client("cl-player", events);
        player.join(room).join();

        assertThat(cluster.backendOnA().renameRoom(room, "Blitz").getName()).isEqualTo("Blitz");
        assertThat(events.await("renamed", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"renamed\",\"room\":\"cl-chess\",\"name\":\"Blitz\"}");
        // the name moved in the store every node reads: node B's session sees it when browsing
        assertThat(player.browse("cl-games").join().get("rooms").get(0).get("name").asText()).isEqualTo("Blitz");
        assertThat(cluster.backendOnA().room(room).getTopic()).as("a rename keeps the topic").isEqualTo("one move a day");

        cluster.backendOnA().removeRoom(room);
        assertThat(events.await("removed", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"removed\",\"room\":\"cl-chess\",\"reason\":\"room removed\"}");
        assertThat(player.rooms().join().get("rooms")).isEmpty();
        assertThat(cluster.backendOnA().roleHolders(RoleScope.ROLE_SCOPE_ROOM, room)).isEmpty();
        assertThat(cluster.backendOnA().rooms("cl-games")).isEmpty();
    }

    @Test
    void aChannelScopeRoleChangeOnNodeAReChecksTheSessionsOfEveryRoomOfTheChannelOnNodeB() throws Exception {
        cluster.backendOnA().createChannel("cl-club", "", 0, List.of(), Map.of());
        for (String id : List.of("cl-one", "cl-two")) {
            cluster.backendOnA().createRoom(CreateRoomRequest.newBuilder().setId(id).setChannel("cl-club").setName(id)
                    .setKind(RoomKind.ROOM_KIND_STATIC).build());
        }
        EventRecorder events = new EventRecorder();
        DinoClient kid = cluster.b().client("cl-kid", Set.of(), Map.of("age", "12"), events);
        kid.join("cl-one").join();
        kid.join("cl-two").join();
        kid.send("cl-one", "\"cached\"").join();  // B caches the rooms' (empty) rules

        cluster.store().acls().set("cl-one", Map.of("join", "age=18:"));
        cluster.store().acls().set("cl-two", Map.of("join", "age=18:"));
        assertThat(cluster.backendOnA().grantRole(RoleScope.ROLE_SCOPE_CHANNEL, "cl-club", "someone", "admin")).isTrue();

        assertThat(events.awaitCount(e -> "removed".equals(e.path("event").asText()), 2, TIMEOUT))
                .extracting(e -> e.get("room").asText() + "/" + e.get("reason").asText())
                .containsExactlyInAnyOrder("cl-one/access changed", "cl-two/access changed");
    }
}
