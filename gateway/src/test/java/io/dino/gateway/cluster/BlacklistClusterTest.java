package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blacklist words added through node A's gRPC reach node B's matching (its periodic refresh), and the blocked message's
 * report reaches an operator in the admin room on node A; reports and requests for an admin cross nodes too.
 */
class BlacklistClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withSettings(Map.of("dino.moderation.blacklist-refresh", "PT0.2S"))
            .withBackendClients();

    private static boolean isPost(JsonNode event, String type, String by) {
        return event.path("event").asText().equals("message") && event.path("msg").path("room").asText().equals("admin")
                && event.path("msg").path("body").path("type").asText().equals(type)
                && event.path("msg").path("body").path("by").asText().equals(by);
    }

    @Test
    void wordsAddedThroughNodeABlockSendsOnNodeBAndTheReportReachesAnOperatorOnNodeA() throws Exception {
        EventRecorder opEvents = new EventRecorder();
        DinoClient opOnA = cluster.a().operatorClient("bc-op", opEvents);
        opOnA.join("admin").join();
        DinoClient eveOnB = cluster.b().client("bc-eve", new EventRecorder());
        eveOnB.join("bc-probe").join();
        eveOnB.join("bc-hall").join();
        EventRecorder bobEvents = new EventRecorder();
        DinoClient bobOnA = cluster.a().client("bc-bob", bobEvents);
        bobOnA.join("bc-hall").join();

        assertThat(cluster.backendOnA().addBlacklistWords(List.of("Kwyjibo"))).containsExactly("kwyjibo");
        // node B matches it within its refresh period: until then a probe in a room of its own is stored
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            eveOnB.send("bc-probe", Map.of("text", "kwyjibo?")).join();
            return opEvents.events().stream().anyMatch(e -> isPost(e, "blacklisted", "bc-eve"));
        });

        String blocked = eveOnB.send("bc-hall", Map.of("text", "a KWYJIBO")).join().get("id").asText();
        opEvents.await(e -> isPost(e, "blacklisted", "bc-eve") && e.path("msg").path("body").path("messageId").asText().equals(blocked)
                && e.path("msg").path("body").path("room").asText().equals("bc-hall"), TIMEOUT);
        String marker = eveOnB.send("bc-hall", Map.of("text", "marker")).join().get("id").asText();
        bobEvents.await(e -> e.path("msg").path("id").asText().equals(marker), TIMEOUT);
        assertThat(bobEvents.events("message").stream().map(e -> e.get("msg").get("id").asText())).containsExactly(marker);

        assertThat(cluster.backendOnA().removeBlacklistWords(List.of("kwyjibo"))).containsExactly("kwyjibo");
        // node B stops blocking within its refresh period: a send then reaches bob on node A
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            String id = eveOnB.send("bc-hall", Map.of("text", "kwyjibo, now allowed")).join().get("id").asText();
            return bobEvents.events("message").stream().anyMatch(e -> e.get("msg").get("id").asText().equals(id));
        });
    }

    @Test
    void aRequestForAnAdminOnNodeBCountsAndReachesTheOperatorOnNodeA() throws Exception {
        EventRecorder opEvents = new EventRecorder();
        DinoClient opOnA = cluster.a().operatorClient("bc-op2", opEvents);
        opOnA.join("admin").join();
        DinoClient annOnB = cluster.b().client("bc-ann", new EventRecorder());
        annOnB.join("bc-help").join();
        assertThat(annOnB.requestAdmin("bc-help", "please").join().get("admins").asInt()).isGreaterThanOrEqualTo(1);
        opEvents.await(e -> isPost(e, "request-admin", "bc-ann"), TIMEOUT);
        annOnB.report("bc-help", null, "bc-troll", "rude").join();
        JsonNode report = opEvents.await(e -> isPost(e, "report", "bc-ann"), TIMEOUT);
        assertThat(report.get("msg").get("body").get("user").asText()).isEqualTo("bc-troll");
        assertThat(cluster.b().client("bc-mallory", new EventRecorder()).join("admin").handle((ok, error) -> error).join())
                .hasMessage("not allowed to join room 'admin': needs membership of the private room");
    }
}
