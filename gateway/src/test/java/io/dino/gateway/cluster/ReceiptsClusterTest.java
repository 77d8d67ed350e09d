package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Receipts on two nodes sharing Redis: markers are shared, and receipts are told across nodes by the control plane. */
class ReceiptsClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults();

    private static JsonNode receipt(EventRecorder events, String kind, long offset) throws Exception {
        return events.await(event -> event.path("event").asText().equals("receipt") && event.path("kind").asText().equals(kind)
                && event.path("offset").asLong() == offset, TIMEOUT);
    }

    @Test
    void aPrivateMessageToAnOfflineUserIsHandedOverOnAnotherNodeAndTheReadReceiptReachesTheSenderOnTheFirst() throws Exception {
        EventRecorder annEvents = new EventRecorder();
        DinoClient annOnA = cluster.a().client("rcc-ann", annEvents);
        JsonNode sent = annOnA.sendPrivate("rcc-bob", Map.of("text", "while you were out")).join();

        DinoClient bobOnB = cluster.b().client("rcc-bob", new EventRecorder());
        JsonNode unacked = bobOnB.connectResult().path("inbox").path("unacked");
        assertThat(unacked.size()).isEqualTo(1);
        assertThat(unacked.get(0).path("id").asText()).isEqualTo(sent.path("id").asText());
        assertThat(unacked.get(0).path("offset").asLong()).isEqualTo(sent.path("offset").asLong());

        bobOnB.inboxReceipt("read", sent.path("offset").asLong()).join();
        JsonNode read = receipt(annEvents, "read", sent.path("offset").asLong());
        assertThat(read.toString()).isEqualTo("{\"event\":\"receipt\",\"to\":\"rcc-bob\",\"user\":\"rcc-bob\",\"kind\":\"read\","
                + "\"epoch\":\"" + sent.path("epoch").asText() + "\",\"offset\":" + sent.path("offset").asLong()
                + ",\"ids\":[\"" + sent.path("id").asText() + "\"]}");
        // the marker is shared: asked on node A, and a new session on node A gets nothing handed over
        assertThat(annOnA.privateReceipts("rcc-bob", sent.path("offset").asLong()).join().path("read").asBoolean()).isTrue();
        assertThat(cluster.a().client("rcc-bob", new EventRecorder()).connectResult().path("inbox").has("unacked")).isFalse();
    }

    @Test
    void aRoomReceiptOnOneNodeReachesTheMembersOnBothAndQueriesAgreeEverywhere() throws Exception {
        EventRecorder annEvents = new EventRecorder();
        DinoClient annOnA = cluster.a().client("rcr-ann", annEvents);
        annOnA.join("rcr-room").join();
        EventRecorder cyEvents = new EventRecorder();
        DinoClient cyOnB = cluster.b().client("rcr-cy", cyEvents);
        cyOnB.join("rcr-room").join();
        DinoClient bobOnB = cluster.b().client("rcr-bob", new EventRecorder());
        bobOnB.join("rcr-room").join();
        JsonNode sent = annOnA.send("rcr-room", Map.of("text", "hello")).join();
        long offset = sent.path("offset").asLong();

        bobOnB.receipt("rcr-room", "delivered", offset).join();
        assertThat(receipt(annEvents, "delivered", offset).path("user").asText()).isEqualTo("rcr-bob");
        assertThat(receipt(cyEvents, "delivered", offset).path("user").asText()).isEqualTo("rcr-bob");

        assertThat(annOnA.receipts("rcr-room", offset).join().path("delivered").toString()).isEqualTo("[\"rcr-bob\"]");
        assertThat(cyOnB.receipts("rcr-room", offset).join().path("deliveredCount").asInt()).isEqualTo(1);
    }
}
