package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.client.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withBackendClients();

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(message -> texts.add(message.path("body").path("text").asText()));
        return texts;
    }

    @Test
    void aDeletionOnNodeAIsHeardOnNodeBAndNodeBsHistoryAndRecoveryLeaveTheMessageOut() throws Exception {
        EventRecorder aliceEvents = new EventRecorder();
        DinoClient aliceOnA = cluster.a().client("dc-alice", aliceEvents);
        aliceOnA.join("dc-hall").join();
        EventRecorder bobEvents = new EventRecorder();
        DinoClient bobOnB = cluster.b().client("dc-bob", bobEvents);
        bobOnB.join("dc-hall").join();
        String first = aliceOnA.send("dc-hall", Map.of("text", "oops")).join().get("id").asText();
        JsonNode second = aliceOnA.send("dc-hall", Map.of("text", "fine")).join();
        String epoch = second.get("epoch").asText();

        JsonNode reply = aliceOnA.deleteMessage("dc-hall", first).join();
        assertThat(reply.get("changed").asBoolean()).isTrue();
        JsonNode deleted = bobEvents.await("deleted", TIMEOUT);
        assertThat(deleted.toString()).isEqualTo("{\"event\":\"deleted\",\"room\":\"dc-hall\",\"by\":\"dc-alice\",\"ids\":[\"" + first + "\"]}");

        assertThat(texts(bobOnB.history("dc-hall", 10).join().get("messages"))).containsExactly("fine");
        JsonNode recovered = cluster.b().client("dc-carol", new EventRecorder()).join("dc-hall", new Position(epoch, 0)).join();
        assertThat(recovered.get("recovered").asBoolean()).isTrue();
        assertThat(texts(recovered.get("messages"))).containsExactly("fine");
        // a session already in the room asks again (a rejoin reads the recovery without entering)
        JsonNode rejoined = bobOnB.join("dc-hall", new Position(epoch, 0)).join();
        assertThat(texts(rejoined.get("messages"))).containsExactly("fine");

        assertThat(cluster.backendOnA().restoreMessage("dc-hall", first, "dc-admin").getChanged()).isTrue();
        assertThat(bobEvents.await("restored", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"restored\",\"room\":\"dc-hall\",\"by\":\"dc-admin\",\"ids\":[\"" + first + "\"]}");
        assertThat(texts(bobOnB.history("dc-hall", 10).join().get("messages"))).containsExactly("oops", "fine");
    }

    @Test
    void aUsersMessagesDeletedThroughNodeAAreHiddenOnNodeBAndLaterOnesAreNot() throws Exception {
        EventRecorder modEvents = new EventRecorder();
        DinoClient opOnA = cluster.a().operatorClient("dc-op", modEvents);
        opOnA.join("dc-spam").join();
        EventRecorder spamEvents = new EventRecorder();
        DinoClient spammerOnB = cluster.b().client("dc-spammer", spamEvents);
        spammerOnB.join("dc-spam").join();
        EventRecorder readerEvents = new EventRecorder();
        DinoClient readerOnB = cluster.b().client("dc-reader", readerEvents);
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
