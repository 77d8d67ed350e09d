package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.client.Position;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History pages and recoveries carry at most dino.limits.max-reply-bytes of message bodies: a page is cut
 * (and says so) where paging goes on without a gap; a recovery that would be larger answers recovered: false.
 */
class ReplyLimitTest {

    // 10 kB bodies and 25 kB per reply: two messages fit, three do not
    private static final String BODY = "x".repeat(9_998);
    private static final Map<String, String> LIMITS = Map.of("dino.limits.max-reply-bytes", "25000");

    @Test
    void aPageOverTheLimitIsCutAndPagingGoesOnWithoutAGap() {
        try (TestNode node = TestNode.start(LIMITS)) {
            DinoClient alice = node.client("alice", new EventRecorder());
            alice.join("big").join();
            for (int i = 0; i < 5; i++) {
                alice.send("big", BODY).join();
            }

            JsonNode latest = alice.history("big", 5).join();
            assertThat(offsets(latest)).as("paging back keeps the newest").containsExactly(4L, 5L);
            assertThat(latest.get("truncated").asBoolean()).isTrue();
            JsonNode older = history(alice, "before", 4);
            assertThat(offsets(older)).containsExactly(2L, 3L);
            JsonNode forward = history(alice, "after", 1);
            assertThat(offsets(forward)).as("paging forward keeps the oldest").containsExactly(2L, 3L);
            assertThat(forward.get("truncated").asBoolean()).isTrue();
            JsonNode fits = alice.history("big", 2).join();
            assertThat(offsets(fits)).containsExactly(4L, 5L);
            assertThat(fits.has("truncated")).as("a page within the limit does not say truncated").isFalse();
        }
    }

    @Test
    void aRecoveryOverTheLimitAnswersRecoveredFalse() {
        try (TestNode node = TestNode.start(LIMITS)) {
            DinoClient alice = node.client("alice", new EventRecorder());
            JsonNode joined = alice.join("big").join();
            Position start = new Position(joined.get("epoch").asText(), joined.get("offset").asLong());
            for (int i = 0; i < 3; i++) {
                alice.send("big", BODY).join();
            }
            String epoch = alice.history("big", 1).join().get("epoch").asText();

            DinoClient bob = node.client("bob", new EventRecorder());
            JsonNode twoMissed = bob.join("big", new Position(epoch, 1)).join();
            assertThat(twoMissed.get("recovered").asBoolean()).isTrue();
            assertThat(twoMissed.get("messages")).hasSize(2);

            DinoClient carol = node.client("carol", new EventRecorder());
            JsonNode threeMissed = carol.join("big", start).join();
            assertThat(threeMissed.get("recovered").asBoolean()).as("30 kB of bodies exceed 25 kB").isFalse();
            assertThat(threeMissed.get("messages")).isEmpty();
            assertThat(threeMissed.get("offset").asLong()).isEqualTo(3);
        }
    }

    private static JsonNode history(DinoClient client, String direction, long offset) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode().put("room", "big").put("limit", 5).put(direction, offset);
        return client.request("history", fields).join();
    }

    private static List<Long> offsets(JsonNode page) {
        List<Long> offsets = new ArrayList<>();
        page.get("messages").forEach(message -> offsets.add(message.get("offset").asLong()));
        return offsets;
    }
}
