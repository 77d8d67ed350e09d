package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Autojoin stops at the per-session room limit, in room-id order, and the connect still succeeds. */
class AutojoinLimitTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.limits.max-rooms-per-session", "2"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void autojoinStopsAtTheRoomLimitInRoomOrder() {
        for (String room : new String[]{"lim-c", "lim-a", "lim-b"}) {
            node.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom(room).putRules("autojoin", "team=lim").build());
        }
        DinoClient user = node.client("lim-user", Set.of(), Map.of("team", "lim"), new EventRecorder());
        JsonNode autojoined = user.connectResult().get("autojoined");
        assertThat(StreamSupport.stream(autojoined.spliterator(), false).map(r -> r.get("room").asText()))
                .containsExactly("lim-a", "lim-b");
        assertThat(user.rooms().join().get("rooms")).extracting(JsonNode::asText).containsExactly("lim-a", "lim-b");
    }
}
