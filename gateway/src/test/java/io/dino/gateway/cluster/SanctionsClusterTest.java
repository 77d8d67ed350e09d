package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.BanUserResponse;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Bans and mutes issued on node A take effect on nodes B and C through the Redis control plane (three nodes, one
 * real redis-server): a global ban disconnects the user everywhere, a room ban takes them out of the room on every
 * node and a mute refuses the next send on a node whose snapshot of the room was cached before.
 */
class SanctionsClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static TestNode c;
    private static DinoBackendClient backendOnA;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        c = node("c");
        backendOnA = DinoBackendClient.builder("127.0.0.1", a.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        backendOnA.close();
        a.close();
        b.close();
        c.close();
        redis.close();
    }

    private static DinoException refusal(CompletableFuture<JsonNode> reply) {
        return (DinoException) catchThrowableOfType(CompletionException.class, reply::join).getCause();
    }

    @Test
    void aGlobalBanThroughNodeAsGrpcDisconnectsTheUsersSessionsOnNodesBAndCAndRefusesTheirConnects() throws Exception {
        EventRecorder onB = new EventRecorder();
        DinoClient eveOnB = b.client("sc-eve", onB);
        eveOnB.join("sc-global").join();
        EventRecorder onC = new EventRecorder();
        DinoClient eveOnC = c.client("sc-eve", onC);
        EventRecorder bystanderEvents = new EventRecorder();
        DinoClient bystander = c.client("sc-bystander", bystanderEvents);
        bystander.join("sc-global").join();

        BanUserResponse banned = backendOnA.banUser("sc-eve", "global", "", "1h", "cluster-wide", "");
        assertThat(banned.getSessionsRemoved()).isEqualTo(2);
        for (EventRecorder events : List.of(onB, onC)) {
            JsonNode disconnect = events.await("disconnect", TIMEOUT);
            assertThat(disconnect.get("code").asInt()).isEqualTo(4038);
            assertThat(disconnect.get("until").asLong()).isEqualTo(banned.getUntilMs());
            assertThat(disconnect.get("reconnect").asBoolean()).isFalse();
        }
        assertThat(eveOnB.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(4038);
        assertThat(eveOnC.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(4038);
        await().atMost(TIMEOUT).until(() -> !backendOnA.roomMembers("sc-global").contains("sc-eve"));
        assertThat(bystander.closeFuture()).isNotDone();

        for (TestNode node : List.of(b, c)) {
            DinoClient raw = node.rawClient(new EventRecorder());
            raw.sendRaw("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("sc-eve") + "\"}").join();
            assertThat(raw.awaitUnmatchedReply(TIMEOUT).at("/error/name").asText()).isEqualTo("BANNED");
            assertThat(raw.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(4038);
        }
        assertThat(backendOnA.unbanUser("sc-eve", "global", "", "")).isTrue();
        c.client("sc-eve", new EventRecorder()).join("sc-global").join();
    }

    @Test
    void aRoomBanOnNodeATakesTheUserOutOnBAndCAndTheirCachedSnapshotsRefuseTheJoin() throws Exception {
        EventRecorder onB = new EventRecorder();
        DinoClient fredOnB = b.client("sc-fred", onB);
        fredOnB.join("sc-room").join();
        EventRecorder onC = new EventRecorder();
        DinoClient fredOnC = c.client("sc-fred", onC);
        fredOnC.join("sc-room").join();
        EventRecorder holderEvents = new EventRecorder();
        c.client("sc-holder", holderEvents).join("sc-room").join();  // C keeps holding the room (its snapshot cached)
        DinoClient op = a.operatorClient("sc-op", new EventRecorder());

        JsonNode reply = op.ban("sc-fred", "room", "sc-room", "10m", "across nodes").join();
        assertThat(reply.get("sessions").asInt()).isEqualTo(2);
        for (EventRecorder events : List.of(onB, onC, holderEvents)) {
            JsonNode event = events.await(e -> e.path("event").asText().equals("banned"), TIMEOUT);
            assertThat(event.get("user").asText()).isEqualTo("sc-fred");
            assertThat(event.get("by").asText()).isEqualTo("sc-op");
        }
        await().atMost(TIMEOUT).until(() -> !backendOnA.roomMembers("sc-room").contains("sc-fred"));
        assertThat(refusal(fredOnC.join("sc-room")).name()).isEqualTo("BANNED");
        assertThat(refusal(fredOnB.join("sc-room")).name()).isEqualTo("BANNED");

        assertThat(op.unban("sc-fred", "room", "sc-room").join().get("removed").asBoolean()).isTrue();
        onC.await("unbanned", TIMEOUT);
        fredOnC.join("sc-room").join();
    }

    @Test
    void aMuteSetThroughNodeAsGrpcRefusesTheNextSendOnNodeBWhoseSnapshotWasCached() throws Exception {
        EventRecorder onB = new EventRecorder();
        DinoClient ginaOnB = b.client("sc-gina", onB);
        ginaOnB.join("sc-mute").join();
        ginaOnB.send("sc-mute", "cached the room's snapshot on B").join();

        long until = backendOnA.muteUser("sc-mute", "sc-gina", "10m", "", "");
        DinoException refused = refusal(ginaOnB.send("sc-mute", "after the mute"));
        assertThat(refused.name()).isEqualTo("MUTED");
        assertThat(refused.longDetail("until").orElseThrow()).isEqualTo(until);
        assertThat(onB.await("muted", TIMEOUT).get("until").asLong()).isEqualTo(until);

        assertThat(backendOnA.unmuteUser("sc-mute", "sc-gina", "")).isTrue();
        ginaOnB.send("sc-mute", "unmuted").join();
    }
}
