package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CompletionException;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A kick issued on node A takes the user's sessions out on node B too, through the Redis control plane. */
class KickClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withBackendClients();

    private static boolean isKickOf(JsonNode event, String user) {
        return event.path("event").asText().equals("kicked") && event.path("user").asText().equals(user);
    }

    @Test
    void aKickThroughNodeAsGrpcTakesTheUsersSessionsOutOnBothNodesAndEveryMemberHearsItOnce() throws Exception {
        EventRecorder onB = new EventRecorder();
        DinoClient bobOnB = cluster.b().client("kc-bob", onB);
        bobOnB.join("kc-hall").join();
        EventRecorder bobOnAEvents = new EventRecorder();
        DinoClient bobOnA = cluster.a().client("kc-bob", bobOnAEvents);
        bobOnA.join("kc-hall").join();
        EventRecorder carlEvents = new EventRecorder();
        DinoClient carlOnB = cluster.b().client("kc-carl", carlEvents);
        carlOnB.join("kc-hall").join();
        EventRecorder danEvents = new EventRecorder();
        DinoClient dan = cluster.a().client("kc-dan", danEvents);
        dan.join("kc-hall").join();

        assertThat(cluster.backendOnA().kickUser("kc-hall", "kc-bob", "cluster-wide", "")).isEqualTo(2);
        String expected = "{\"event\":\"kicked\",\"room\":\"kc-hall\",\"user\":\"kc-bob\",\"by\":\"system\",\"reason\":\"cluster-wide\"}";
        assertThat(onB.await(event -> isKickOf(event, "kc-bob"), TIMEOUT).toString()).isEqualTo(expected);
        assertThat(bobOnAEvents.await(event -> isKickOf(event, "kc-bob"), TIMEOUT).toString()).isEqualTo(expected);
        assertThat(carlEvents.await(event -> isKickOf(event, "kc-bob"), TIMEOUT).toString()).isEqualTo(expected);
        assertThat(danEvents.await(event -> isKickOf(event, "kc-bob"), TIMEOUT).toString()).isEqualTo(expected);
        // the kick was applied on every node when KickUser returned: a message sent now does not reach bob, and
        // a private message sent after it (same inbox of node B, in order) is the marker that it would have by then
        dan.send("kc-hall", "after the kick").join();
        dan.sendPrivate("kc-bob", "marker").join();
        onB.await("private", TIMEOUT);
        assertThat(onB.events("message")).isEmpty();
        carlEvents.await("message", TIMEOUT);

        await().atMost(TIMEOUT).until(() -> !cluster.backendOnA().roomMembers("kc-hall").contains("kc-bob"));
        CompletionException failed = catchThrowableOfType(CompletionException.class,
                () -> bobOnB.send("kc-hall", "still here?").join());
        assertThat(((DinoException) failed.getCause()).name()).isEqualTo("NOT_IN_ROOM");
        // a marker after the kick: a join both nodes announce; no `left` of bob came before it on B
        cluster.a().client("kc-marker", new EventRecorder()).join("kc-hall").join();
        carlEvents.await(event -> event.path("event").asText().equals("joined")
                && event.path("user").asText().equals("kc-marker"), TIMEOUT);
        assertThat(carlEvents.events("left")).isEmpty();
        assertThat(carlEvents.events("kicked")).hasSize(1);
        assertThat(danEvents.events("kicked")).hasSize(1);
    }

    @Test
    void anOwnerOnNodeAIsRefusedTheKickOfAnOperatorHeldByNodeB() throws Exception {
        cluster.backendOnA().createRoom(io.dino.api.v1.CreateRoomRequest.newBuilder().setId("kc-owned").setName("Owned")
                .setKind(io.dino.api.v1.RoomKind.ROOM_KIND_STATIC).addOwners("kc-owner").build());
        EventRecorder opEvents = new EventRecorder();
        cluster.b().operatorClient("kc-op", opEvents).join("kc-owned").join();
        EventRecorder ownerEvents = new EventRecorder();
        DinoClient owner = cluster.a().client("kc-owner", ownerEvents);
        owner.join("kc-owned").join();

        CompletionException failed = catchThrowableOfType(CompletionException.class,
                () -> owner.kick("kc-owned", "kc-op", "no").join());
        DinoException refused = (DinoException) failed.getCause();
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to kick 'kc-op': an operator, whom only operators may kick");
        assertThat(cluster.backendOnA().roomMembers("kc-owned")).contains("kc-op");
        // nobody was told: the next event both get is a later join
        cluster.a().client("kc-later", new EventRecorder()).join("kc-owned").join();
        for (EventRecorder events : List.of(opEvents, ownerEvents)) {
            events.await(event -> event.path("event").asText().equals("joined")
                    && event.path("user").asText().equals("kc-later"), TIMEOUT);
            assertThat(events.events("kicked")).isEmpty();
        }
    }
}
