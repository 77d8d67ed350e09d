package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Autojoin rooms and cross-room sends on two nodes sharing one real Redis: rules set on one node act on the other. */
class AutojoinClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
    }

    private static TestNode node(String id) {
        Map<String, String> config = new HashMap<>(Map.of("dino.redis.uri", redis.uri(), "dino.engine", "redis",
                "dino.node-id", id, "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
        return TestNode.start(config);
    }

    @AfterAll
    static void stop() {
        for (TestNode node : new TestNode[]{a, b}) {
            if (node != null) {
                node.close();
            }
        }
        redis.close();
    }

    @Test
    void anAutojoinRuleSetThroughOneNodeJoinsSessionsConnectingToTheOther() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = b.client("cl-watcher", watcherEvents);
        watcher.join("cl-welcome").join();
        b.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-welcome").putRules("autojoin", "age=18:").build());

        DinoClient adult = a.client("cl-adult", Set.of(), Map.of("age", "40"), new EventRecorder());
        JsonNode autojoined = adult.connectResult().get("autojoined");
        assertThat(StreamSupport.stream(autojoined.spliterator(), false).map(r -> r.get("room").asText()))
                .containsExactly("cl-welcome");
        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "cl-adult".equals(e.path("user").asText()), TIMEOUT);

        DinoClient kid = a.client("cl-kid", Set.of(), Map.of("age", "9"), new EventRecorder());
        assertThat(kid.connectResult().has("autojoined")).isFalse();

        b.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-welcome").build());
        assertThat(a.client("cl-late", Set.of(), Map.of("age", "40"), new EventRecorder()).connectResult().has("autojoined"))
                .isFalse();
    }

    @Test
    void aCrossRoomSendFromOneNodeReachesTheTargetsMembersOnTheOther() throws Exception {
        b.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-stage").putRules("crossroom", "role=herald").build());
        EventRecorder listenerEvents = new EventRecorder();
        DinoClient listener = b.client("cl-listener", listenerEvents);
        listener.join("cl-stage").join();
        DinoClient herald = a.client("cl-herald", Set.of("herald"), Map.of(), new EventRecorder());
        herald.join("cl-hall").join();
        assertThat(herald.sendVia("cl-stage", "cl-hall", "hear ye").join().get("offset").asLong()).isEqualTo(1);
        JsonNode message = listenerEvents.await(e -> "message".equals(e.path("event").asText()), TIMEOUT).get("msg");
        assertThat(message.get("room").asText()).isEqualTo("cl-stage");
        assertThat(message.get("from").asText()).isEqualTo("cl-herald");
    }
}
