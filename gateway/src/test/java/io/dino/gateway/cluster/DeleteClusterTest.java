package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.client.Position;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deletion issued on node A reaches the room's sessions on node B ({@code deleted}, through the Redis control plane),
 * and node B's history and recovery leave the message out; a restore on A brings it back on B.
 */
class DeleteClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static DinoBackendClient backendOnA;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
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
        redis.close();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(message -> texts.add(message.path("body").path("text").asText()));
        return texts;
    }

    @Test
    void aDeletionOnNodeAIsHeardOnNodeBAndNodeBsHistoryAndRecoveryLeaveTheMessageOut() throws Exception {
        EventRecorder aliceEvents = new EventRecorder();
        DinoClient aliceOnA = a.client("dc-alice", aliceEvents);
        aliceOnA.join("dc-hall").join();
        EventRecorder bobEvents = new EventRecorder();
        DinoClient bobOnB = b.client("dc-bob", bobEvents);
        bobOnB.join("dc-hall").join();
        String first = aliceOnA.send("dc-hall", Map.of("text", "oops")).join().get("id").asText();
        JsonNode second = aliceOnA.send("dc-hall", Map.of("text", "fine")).join();
        String epoch = second.get("epoch").asText();

        JsonNode reply = aliceOnA.deleteMessage("dc-hall", first).join();
        assertThat(reply.get("changed").asBoolean()).isTrue();
        JsonNode deleted = bobEvents.await("deleted", TIMEOUT);
        assertThat(deleted.toString()).isEqualTo("{\"event\":\"deleted\",\"room\":\"dc-hall\",\"by\":\"dc-alice\",\"ids\":[\"" + first + "\"]}");

        assertThat(texts(bobOnB.history("dc-hall", 10).join().get("messages"))).containsExactly("fine");
        JsonNode recovered = b.client("dc-carol", new EventRecorder()).join("dc-hall", new Position(epoch, 0)).join();
        assertThat(recovered.get("recovered").asBoolean()).isTrue();
        assertThat(texts(recovered.get("messages"))).containsExactly("fine");
        // a session already in the room asks again (a rejoin reads the recovery without entering)
        JsonNode rejoined = bobOnB.join("dc-hall", new Position(epoch, 0)).join();
        assertThat(texts(rejoined.get("messages"))).containsExactly("fine");

        assertThat(backendOnA.restoreMessage("dc-hall", first, "dc-admin").getChanged()).isTrue();
        assertThat(bobEvents.await("restored", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"restored\",\"room\":\"dc-hall\",\"by\":\"dc-admin\",\"ids\":[\"" + first + "\"]}");
        assertThat(texts(bobOnB.history("dc-hall", 10).join().get("messages"))).containsExactly("oops", "fine");
    }

    @Test
    void aUsersMessagesDeletedThroughNodeAAreHiddenOnNodeBAndLaterOnesAreNot() throws Exception {
        EventRecorder modEvents = new EventRecorder();
        DinoClient opOnA = a.operatorClient("dc-op", modEvents);
        opOnA.join("dc-spam").join();
        EventRecorder spamEvents = new EventRecorder();
        DinoClient spammerOnB = b.client("dc-spammer", spamEvents);
        spammerOnB.join("dc-spam").join();
        EventRecorder readerEvents = new EventRecorder();
        DinoClient readerOnB = b.client("dc-reader", readerEvents);
        readerOnB.join("dc-spam").join();
        for (int i = 0; i < 5; i++) {
            spammerOnB.send("dc-spam", Map.of("text", "spam " + i)).join();
        }
        readerOnB.send("dc-spam", Map.of("text", "hi")).join();

        JsonNode reply = opOnA.deleteUserMessages("dc-spam", "dc-spammer").join();
        assertThat(reply.get("deleted").get("offset").asLong()).isEqualTo(6);
        JsonNode heard = readerEvents.await("deleted", TIMEOUT);
        assertThat(heard.get("user").asText()).isEqualTo("dc-spammer");
        assertThat(heard.get("offset").asLong()).isEqualTo(6);
        spamEvents.await("deleted", TIMEOUT);
        spammerOnB.send("dc-spam", Map.of("text", "sorry")).join();

        assertThat(texts(readerOnB.history("dc-spam", 2).join().get("messages"))).containsExactly("hi", "sorry");
    }
}
