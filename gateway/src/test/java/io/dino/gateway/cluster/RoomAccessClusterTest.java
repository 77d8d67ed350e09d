package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.e2e.AccessControlTest;
import io.dino.gateway.e2e.RolesApiTestSupport;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room snapshot across two nodes on Redis: registered rooms, stored roles in rules and capacity decided the
 * same on both, and a role revoke through one node removing a member held by the other.
 */
class RoomAccessClusterTest {

    /** Node A is the node the backend calls; node B holds the members. */
    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults();

    /** Rooms and channels go into the shared directory through node A's engine (no Rooms API here yet). */
    private static void room(String id, String channel, int capacity) {
        Directory directory = cluster.a().node().engine().directory();
        if (directory.channel(channel).isEmpty()) {
            directory.createChannel(new Directory.ChannelRecord(channel, channel, 0, List.of(), Map.of()));
        }
        assertThat(directory.createRoom(new RoomRecord(id, channel, id.toUpperCase(), RoomKind.STATIC, capacity, "", 0, "test",
                Set.of(), true))).isEqualTo(Directory.Outcome.DONE);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void aRoleRevokedThroughOneNodeRemovesTheMemberTheRoleAdmittedOnTheOther() throws Exception {
        room("staff-room", "default", 0);
        cluster.a().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("staff-room").putRules("join", "role=moderator")
                .build());
        RolesApiTestSupport.roles(cluster.a()).grantRole(GrantRoleRequest.newBuilder().setUser("mo").setRoom("staff-room")
                .setRole("moderator").build());
        EventRecorder moEvents = new EventRecorder();
        DinoClient mo = cluster.b().client("mo", moEvents);
        JsonNode joined = mo.join("staff-room").join();
        assertThat(joined.get("kind").asText()).isEqualTo("static");
        mo.send("staff-room", "\"cached\"").join();

        RolesApiTestSupport.roles(cluster.a()).revokeRole(RevokeRoleRequest.newBuilder().setUser("mo").setRoom("staff-room")
                .setRole("moderator").build());

        JsonNode removed = moEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo("staff-room");
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
        DinoException refused = AccessControlTest.refusal(mo.join("staff-room"));
        assertThat(refused.getMessage()).isEqualTo("not allowed to join room 'staff-room': needs role=moderator");
    }

    @Test
    void aChannelRoleOfARoomInAnotherChannelIsSeenByRulesAndRights() {
        room("r-go", "board-games", 0);
        cluster.a().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("r-go").putRules("join", "role=channel-admin")
                .build());
        assertThat(AccessControlTest.refusal(cluster.b().client("cad", new EventRecorder()).join("r-go")).getMessage())
                .isEqualTo("not allowed to join room 'r-go': needs role=channel-admin");

        RolesApiTestSupport.roles(cluster.a()).grantRole(GrantRoleRequest.newBuilder().setUser("cad").setChannel("board-games")
                .setRole("admin").build());

        JsonNode joined = cluster.b().client("cad", new EventRecorder()).join("r-go").join();
        assertThat(joined.get("channel").asText()).isEqualTo("board-games");
        assertThat(texts(joined.get("rights"))).containsExactly("history", "members", "message", "remove", "rename", "setacl");
    }

    @Test
    void aChannelRoleRevokedThroughOneNodeRemovesTheMemberFromTheChannelsRoomsOnTheOther() throws Exception {
        room("r-admins", "clubs", 0);
        cluster.a().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("r-admins").putRules("join", "role=channel-admin")
                .build());
        RolesApiTestSupport.roles(cluster.a()).grantRole(GrantRoleRequest.newBuilder().setUser("ada").setChannel("clubs")
                .setRole("admin").build());
        EventRecorder adaEvents = new EventRecorder();
        cluster.b().client("ada", adaEvents).join("r-admins").join();

        RolesApiTestSupport.roles(cluster.a()).revokeRole(RevokeRoleRequest.newBuilder().setUser("ada").setChannel("clubs")
                .setRole("admin").build());

        JsonNode removed = adaEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo("r-admins");
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
    }

    @Test
    void capacityCountsTheUsersOfEveryNode() {
        room("duo", "default", 2);
        cluster.a().client("duo-1", new EventRecorder()).join("duo").join();
        cluster.b().client("duo-2", new EventRecorder()).join("duo").join();

        DinoException full = AccessControlTest.refusal(cluster.a().client("duo-3", new EventRecorder()).join("duo"));

        assertThat(full.name()).isEqualTo("ROOM_FULL");
        assertThat(full.getMessage()).isEqualTo("room 'duo' is full (2 users)");
        assertThat(texts(cluster.b().client("duo-1", new EventRecorder()).join("duo").join().get("members")))
                .containsExactly("duo-1", "duo-2");
    }
}
