package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Autojoin rooms and cross-room sends on two nodes sharing one real Redis: rules set on one node act on the other. */
class AutojoinClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults();

    @Test
    void anAutojoinRuleSetThroughOneNodeJoinsSessionsConnectingToTheOther() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = cluster.b().client("cl-watcher", watcherEvents);
        watcher.join("cl-welcome").join();
        cluster.b().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-welcome").putRules("autojoin", "age=18:")
                .build());

        DinoClient adult = cluster.a().client("cl-adult", Set.of(), Map.of("age", "40"), new EventRecorder());
        JsonNode autojoined = adult.connectResult().get("autojoined");
        assertThat(StreamSupport.stream(autojoined.spliterator(), false).map(r -> r.get("room").asText()))
                .containsExactly("cl-welcome");
        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "cl-adult".equals(e.path("user").asText()), TIMEOUT);

        DinoClient kid = cluster.a().client("cl-kid", Set.of(), Map.of("age", "9"), new EventRecorder());
        assertThat(kid.connectResult().has("autojoined")).isFalse();

        cluster.b().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-welcome").build());
        assertThat(cluster.a().client("cl-late", Set.of(), Map.of("age", "40"), new EventRecorder()).connectResult()
                .has("autojoined")).isFalse();
    }

    @Test
    void aCrossRoomSendFromOneNodeReachesTheTargetsMembersOnTheOther() throws Exception {
        cluster.b().backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("cl-stage").putRules("crossroom", "role=herald")
                .build());
        EventRecorder listenerEvents = new EventRecorder();
        DinoClient listener = cluster.b().client("cl-listener", listenerEvents);
        listener.join("cl-stage").join();
        DinoClient herald = cluster.a().client("cl-herald", Set.of("herald"), Map.of(), new EventRecorder());
        herald.join("cl-hall").join();
        assertThat(herald.sendVia("cl-stage", "cl-hall", "hear ye").join().get("offset").asLong()).isEqualTo(1);
        JsonNode message = listenerEvents.await(e -> "message".equals(e.path("event").asText()), TIMEOUT).get("msg");
        assertThat(message.get("room").asText()).isEqualTo("cl-stage");
        assertThat(message.get("from").asText()).isEqualTo("cl-herald");
    }
}
