package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dino.client.DinoClient;
import io.dino.gateway.cluster.NodeProcess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Private messages to users who never connect each make an inbox log on the memory engine; count and age
 * retention bound each log but not their number. The memory budget bounds them all together.
 */
class MadeUpInboxesTest {

    private static final String BODY = "x".repeat(16_000);
    // 12,000 × 16 kB = 192 MB of bodies: more than the whole 128 MiB heap of the node
    private static final int MESSAGES = 12_000;
    private static final int IN_FLIGHT = 200;

    @Test
    void privateMessagesToMadeUpUsersStayWithinTheMemoryBudget() throws Exception {
        // the rate limits would stop mallory long before the budget is reached (the point here is the budget)
        Map<String, String> budget = Map.of("history.memory-budget", Long.toString(32L * 1_048_576),
                "limits.rate.sends.per-second", "0", "limits.rate.user-sends.per-second", "0");
        try (NodeProcess node = NodeProcess.start("memory", null, "inboxes", budget, "128m");
             DinoClient mallory = client(node, "mallory")) {
            for (int sent = 0; sent < MESSAGES; sent += IN_FLIGHT) {
                List<CompletableFuture<JsonNode>> batch = new ArrayList<>();
                for (int i = sent; i < sent + IN_FLIGHT; i++) {
                    batch.add(mallory.sendPrivate("made-up-" + i, BODY));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            assertThat(node.isRunning()).isTrue();
            try (DinoClient newest = client(node, "made-up-" + (MESSAGES - 1));
                 DinoClient oldest = client(node, "made-up-0")) {
                assertThat(inbox(newest)).as("the newest message is kept").hasSize(1);
                assertThat(inbox(oldest)).as("the oldest was evicted to stay within the budget").isEmpty();
                assertThat(oldest.connectResult().get("inbox").get("offset").asLong()).isEqualTo(1);
            }
            assertThat(node.log()).doesNotContain("OutOfMemoryError");
        }
    }

    private static DinoClient client(NodeProcess node, String user) throws Exception {
        return DinoClient.builder(node.wsUri()).connect(NodeProcess.token(user)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static JsonNode inbox(DinoClient client) throws Exception {
        return client.request("history", JsonNodeFactory.instance.objectNode().put("inbox", true).put("limit", 10))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get("messages");
    }
}
