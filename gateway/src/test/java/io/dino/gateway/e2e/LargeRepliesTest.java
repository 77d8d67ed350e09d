package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.cluster.NodeProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading and keeps asking for large history pages must not run its node out of memory:
 * its queue is bounded by bytes, so it is dropped as a slow consumer long before the heap fills.
 */
class LargeRepliesTest {

    private static final int MESSAGES = 500;
    private static final String BODY = "x".repeat(16_000);  // within max-message-bytes (16384) as JSON text
    private static final int REQUESTS = 300;

    @Test
    void aStalledClientAskingForLargePagesIsDroppedAndTheNodeStaysHealthy() throws Exception {
        // 128 MiB of heap: without a byte bound, 500 messages of 16 kB make each page ~8 MB, and the queue of a
        // client that does not read fills the heap within about a dozen pages
        try (NodeProcess node = NodeProcess.start("memory", null, "small-heap", Map.of(), "128m");
             DinoClient writer = client(node, "writer", new EventRecorder())) {
            fillArchive(writer);
            writer.join("lounge").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            try (StalledSocket stalled = StalledSocket.open(node.port(), "/ws")) {
                stalled.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + NodeProcess.token("sloth") + "\"}");
                stalled.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"lounge\"}");
                await().atMost(TIMEOUT).until(() -> members(writer).contains("sloth"));
                askForLargePages(stalled);

                await("the stalled client leaves presence").atMost(TIMEOUT).until(() -> !members(writer).contains("sloth"));
            }
            assertThat(node.isRunning()).as("the node is still up").isTrue();
            JsonNode accepted = writer.send("lounge", "still here").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(accepted.get("offset").asLong()).isPositive();
            JsonNode page = writer.history("archive", 500).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(page.get("truncated").asBoolean()).as("a page of 8 MB is cut to max-reply-bytes").isTrue();
            assertThat(page.get("messages").size()).isBetween(1, 1_048_576 / 16_000);
            assertThat(page.get("messages").get(page.get("messages").size() - 1).get("offset").asLong()).isEqualTo(MESSAGES);
            assertThat(node.log()).doesNotContain("OutOfMemoryError");
        }
    }

    /**
     * With limits far too loose for its heap the same client does run the node out of memory; the node must
     * then end (a supervisor restarts it) rather than stay half alive.
     */
    @Test
    void aNodeThatRunsOutOfMemoryEndsItsProcess() throws Exception {
        Map<String, String> loose = Map.of("limits.outbound-queue-bytes", "1000000000", "limits.max-reply-bytes", "100000000");
        try (NodeProcess node = NodeProcess.start("memory", null, "loose-limits", loose, "96m");
             DinoClient writer = client(node, "writer", new EventRecorder())) {
            fillArchive(writer);
            try (StalledSocket stalled = StalledSocket.open(node.port(), "/ws")) {
                stalled.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + NodeProcess.token("sloth") + "\"}");
                askForLargePages(stalled);

                await("the node ends").atMost(TIMEOUT.multipliedBy(3)).until(() -> !node.isRunning());
            }
            assertThat(node.log()).contains("Terminating due to java.lang.OutOfMemoryError");
        }
    }

    /** Puts 500 messages of 16 kB in room archive: a page of all of them is ~8 MB. */
    private static void fillArchive(DinoClient writer) throws Exception {
        writer.join("archive").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < MESSAGES; i++) {
            // one at a time: the writer reads each 16 kB echo before the next, as a well-behaved client does
            writer.send("archive", BODY).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        writer.leave("archive").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Asks for the whole archive again and again without reading, until the node drops the connection. */
    private static void askForLargePages(StalledSocket stalled) {
        try {
            for (int i = 0; i < REQUESTS; i++) {
                stalled.sendText("{\"id\":\"h" + i + "\",\"cmd\":\"history\",\"room\":\"archive\",\"limit\":500}");
            }
        } catch (IOException e) {
            // the connection was dropped (or the node ended): either is what the tests wait for next
        }
    }

    private static DinoClient client(NodeProcess node, String user, EventRecorder events) throws Exception {
        return DinoClient.builder(node.wsUri()).onEvent(events).connect(NodeProcess.token(user))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static String members(DinoClient client) throws Exception {
        return client.members("lounge").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get("members").toString();
    }
}
