package io.dino.gateway.e2e;

import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading is disconnected; it neither grows the node's memory nor slows others. */
class SlowConsumerTest {

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileOthersGetEverything() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.limits.outbound-queue-frames", "16"))) {
            StalledSocket stalled = StalledSocket.open(node.port(), "/ws");
            stalled.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("sloth") + "\"}");
            stalled.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"firehose\"}");
            await().atMost(TIMEOUT).until(() -> node.backend().listRoomMembers(
                    io.dino.api.v1.ListRoomMembersRequest.newBuilder().setRoom("firehose").build()).getUsersList().contains("sloth"));
            EventRecorder readerEvents = new EventRecorder();
            DinoClient reader = node.client("reader", readerEvents);
            reader.join("firehose").join();

            String body = "\"" + "x".repeat(16_000) + "\"";
            int published = 0;
            var backend = node.backend();
            while (node.node().sessionCount() > 1 && published < 3000) {
                backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("firehose").setBodyJson(body).build());
                published++;
            }

            assertThat(node.node().sessionCount()).as("the stalled session was dropped").isEqualTo(1);
            int total = published;
            await().atMost(TIMEOUT).until(() -> readerEvents.events("message").size() == total);
            assertThat(reader.ping().join().has("ts")).isTrue();
            stalled.close();
        }
    }
}
