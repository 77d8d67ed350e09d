package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Receipts on two nodes sharing Redis: markers are shared, and receipts are told across nodes by the control plane. */
class ReceiptsClusterTest {

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
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    private static JsonNode receipt(EventRecorder events, String kind, long offset) throws Exception {
        return events.await(event -> event.path("event").asText().equals("receipt") && event.path("kind").asText().equals(kind)
                && event.path("offset").asLong() == offset, TIMEOUT);
    }

    @Test
    void aPrivateMessageToAnOfflineUserIsHandedOverOnAnotherNodeAndTheReadReceiptReachesTheSenderOnTheFirst() throws Exception {
        EventRecorder annEvents = new EventRecorder();
        DinoClient annOnA = a.client("rcc-ann", annEvents);
        JsonNode sent = annOnA.sendPrivate("rcc-bob", Map.of("text", "while you were out")).join();

        DinoClient bobOnB = b.client("rcc-bob", new EventRecorder());
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
        assertThat(a.client("rcc-bob", new EventRecorder()).connectResult().path("inbox").has("unacked")).isFalse();
    }

    @Test
    void aRoomReceiptOnOneNodeReachesTheMembersOnBothAndQueriesAgreeEverywhere() throws Exception {
        EventRecorder annEvents = new EventRecorder();
        DinoClient annOnA = a.client("rcr-ann", annEvents);
        annOnA.join("rcr-room").join();
        EventRecorder cyEvents = new EventRecorder();
        DinoClient cyOnB = b.client("rcr-cy", cyEvents);
        cyOnB.join("rcr-room").join();
        DinoClient bobOnB = b.client("rcr-bob", new EventRecorder());
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
