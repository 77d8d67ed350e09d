package io.dino.gateway.e2e;

import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dino.rooms.open-rooms: false}: only registered rooms exist. */
class ClosedRoomsTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.rooms.open-rooms", "false"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void anUnregisteredRoomCannotBeJoinedReadOrSentTo() {
        DinoClient client = node.client("closed-ann", new EventRecorder());
        for (var reply : java.util.List.of(client.join("nowhere"), client.history("nowhere", 10), client.send("nowhere", "\"x\""),
                client.members("nowhere"))) {
            DinoException error = refusal(reply);
            assertThat(error.name()).isEqualTo("NO_SUCH_ROOM");
            assertThat(error.getMessage()).isEqualTo("no such room 'nowhere'");
        }
        RoomSetup.staticRoom(node, "registered", "Registered");
        client.join("registered").join();
        client.send("registered", "\"hi\"").join();
        DinoException via = refusal(client.request("send", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("room", "nowhere").put("via", "registered").put("body", "x")));
        assertThat(via.name()).isEqualTo("NO_SUCH_ROOM");
    }
}
