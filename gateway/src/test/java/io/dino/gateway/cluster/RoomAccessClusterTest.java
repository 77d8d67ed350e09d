package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.e2e.AccessControlTest;
import io.dino.gateway.e2e.RolesApiTestSupport;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    private static RedisServer redis;
    /** The node the backend calls. */
    private static TestNode a;
    /** Holds the members. */
    private static TestNode b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    /** Rooms and channels go into the shared directory through node A's engine (no Rooms API here yet). */
    private static void room(String id, String channel, int capacity) {
        Directory directory = a.node().engine().directory();
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
        a.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("staff-room").putRules("join", "role=moderator").build());
        RolesApiTestSupport.roles(a).grantRole(GrantRoleRequest.newBuilder().setUser("mo").setRoom("staff-room")
                .setRole("moderator").build());
        EventRecorder moEvents = new EventRecorder();
        DinoClient mo = b.client("mo", moEvents);
        JsonNode joined = mo.join("staff-room").join();
        assertThat(joined.get("kind").asText()).isEqualTo("static");
        mo.send("staff-room", "\"cached\"").join();

        RolesApiTestSupport.roles(a).revokeRole(RevokeRoleRequest.newBuilder().setUser("mo").setRoom("staff-room")
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
        a.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("r-go").putRules("join", "role=channel-admin").build());
        assertThat(AccessControlTest.refusal(b.client("cad", new EventRecorder()).join("r-go")).getMessage())
                .isEqualTo("not allowed to join room 'r-go': needs role=channel-admin");

        RolesApiTestSupport.roles(a).grantRole(GrantRoleRequest.newBuilder().setUser("cad").setChannel("board-games")
                .setRole("admin").build());

        JsonNode joined = b.client("cad", new EventRecorder()).join("r-go").join();
        assertThat(joined.get("channel").asText()).isEqualTo("board-games");
        assertThat(texts(joined.get("rights"))).containsExactly("history", "members", "message", "remove", "rename", "setacl");
    }

    @Test
    void aChannelRoleRevokedThroughOneNodeRemovesTheMemberFromTheChannelsRoomsOnTheOther() throws Exception {
        room("r-admins", "clubs", 0);
        a.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("r-admins").putRules("join", "role=channel-admin").build());
        RolesApiTestSupport.roles(a).grantRole(GrantRoleRequest.newBuilder().setUser("ada").setChannel("clubs")
                .setRole("admin").build());
        EventRecorder adaEvents = new EventRecorder();
        b.client("ada", adaEvents).join("r-admins").join();

        RolesApiTestSupport.roles(a).revokeRole(RevokeRoleRequest.newBuilder().setUser("ada").setChannel("clubs")
                .setRole("admin").build());

        JsonNode removed = adaEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo("r-admins");
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
    }

    @Test
    void capacityCountsTheUsersOfEveryNode() {
        room("duo", "default", 2);
        a.client("duo-1", new EventRecorder()).join("duo").join();
        b.client("duo-2", new EventRecorder()).join("duo").join();

        DinoException full = AccessControlTest.refusal(a.client("duo-3", new EventRecorder()).join("duo"));

        assertThat(full.name()).isEqualTo("ROOM_FULL");
        assertThat(full.getMessage()).isEqualTo("room 'duo' is full (2 users)");
        assertThat(texts(b.client("duo-1", new EventRecorder()).join("duo").join().get("members"))).containsExactly("duo-1", "duo-2");
    }
}
