package io.dino.gateway.e2e;

import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels, rooms and roles set up for tests. Rooms and channels go straight into the node's directory (the
 * Rooms API is built elsewhere: switch these helpers to it once it exists); roles go through the Roles service.
 */
final class RoomSetup {

    private RoomSetup() {
    }

    static void channel(TestNode node, String id, Map<String, String> rules) {
        Directory directory = node.node().engine().directory();
        ChannelRecord channel = new ChannelRecord(id, id, 0, List.of(), rules);
        if (directory.createChannel(channel) == Directory.Outcome.TAKEN) {
            assertThat(directory.updateChannel(channel)).isEqualTo(Directory.Outcome.DONE);
        }
    }

    static void room(TestNode node, String id, String channel, String name, RoomKind kind, int capacity,
                     Set<String> members, boolean membershipEvents) {
        assertThat(node.node().engine().directory().createRoom(new RoomRecord(id, channel, name, kind, capacity, "",
                System.currentTimeMillis(), "test", members, membershipEvents))).isEqualTo(Directory.Outcome.DONE);
    }

    static void staticRoom(TestNode node, String id, String name) {
        room(node, id, Directory.DEFAULT_CHANNEL, name, RoomKind.STATIC, 0, Set.of(), true);
    }

    static void grantRoomRole(TestNode node, String room, String user, String role) {
        RolesApiTest.roles(node, TestNode.API_KEY).grantRole(GrantRoleRequest.newBuilder().setRoom(room).setUser(user)
                .setRole(role).build());
    }

    static void grantChannelRole(TestNode node, String channel, String user, String role) {
        RolesApiTest.roles(node, TestNode.API_KEY).grantRole(GrantRoleRequest.newBuilder().setChannel(channel).setUser(user)
                .setRole(role).build());
    }

    static void revokeRoomRole(TestNode node, String room, String user, String role) {
        RolesApiTest.roles(node, TestNode.API_KEY).revokeRole(RevokeRoleRequest.newBuilder().setRoom(room).setUser(user)
                .setRole(role).build());
    }
}
