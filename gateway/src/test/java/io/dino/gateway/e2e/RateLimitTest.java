package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Rate limits of WebSocket sessions and users (dino.limits.rate) through real sockets, memory engine. */
class RateLimitTest {

    private static DinoException refusal(java.util.concurrent.CompletableFuture<JsonNode> request) {
        CompletionException failed = catchThrowableOfType(CompletionException.class, request::join);
        assertThat(failed).as("the request was refused").isNotNull();
        return (DinoException) failed.getCause();
    }

    private static void assertRateLimited(DinoException error, long atMostMs, String what) {
        assertThat(error.code()).isEqualTo(4050);
        assertThat(error.name()).isEqualTo("RATE_LIMITED");
        assertThat(error.getMessage()).contains(what);
        assertThat(error.retryAfterMs()).isPresent();
        assertThat(error.retryAfterMs().getAsLong()).isBetween(1L, atMostMs);
    }

    private static double meter(TestNode node, String kind) throws Exception {
        HttpRequest scrape = HttpRequest.newBuilder(node.httpUri("/observe/metrics?scope=application"))
                .header("Accept", "text/plain").build();
        String metrics = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
        Matcher sample = Pattern.compile("(?m)^dino_rate_limited_total\\{[^}]*kind=\"" + kind + "\"[^}]*} (\\S+)").matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : -1;
    }

    @Test
    void aSessionOverItsSendBudgetIsRefusedWithRetryAfterItsMessageIsNotDeliveredAndOthersAreUnaffected() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.sends.per-second", "4",
                "dino.limits.rate.sends.burst", "2"))) {
            EventRecorder aliceEvents = new EventRecorder();
            EventRecorder carolEvents = new EventRecorder();
            DinoClient alice = node.client("rl-alice", aliceEvents);
            DinoClient bob = node.client("rl-bob", new EventRecorder());
            DinoClient carol = node.client("rl-carol", carolEvents);
            for (DinoClient client : List.of(alice, bob, carol)) {
                client.join("rl-room").join();
            }

            alice.send("rl-room", "one").join();
            alice.send("rl-room", "two").join();
            DinoException refused = refusal(alice.send("rl-room", "over"));
            assertRateLimited(refused, 250, "too many messages sent on this session");

            bob.send("rl-room", "bob's").join();  // another user's session sends at once
            carolEvents.await(event -> event.at("/msg/body").asText().equals("bob's"), TIMEOUT);
            assertThat(carolEvents.events("message")).extracting(event -> event.at("/msg/body").asText())
                    .as("the refused message was not delivered").containsExactly("one", "two", "bob's");
            assertThat(meter(node, "sends")).isEqualTo(1.0);

            // after the wait the error named, the session sends again
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(refused.retryAfterMs().getAsLong()))
                    .ignoreExceptionsInstanceOf(CompletionException.class)
                    .until(() -> alice.send("rl-room", "later").join() != null);
            carolEvents.await(event -> event.at("/msg/body").asText().equals("later"), TIMEOUT);
            assertThat(carolEvents.events("message")).extracting(event -> event.at("/msg/body").asText())
                    .doesNotContain("over");
        }
    }

    @Test
    void privateMessagesAndWhispersDrawFromTheSameSendBudgetAndOtherCommandsDoNot() {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.sends.per-second", "1",
                "dino.limits.rate.sends.burst", "2"))) {
            DinoClient alice = node.client("rl-pm-alice", new EventRecorder());
            DinoClient bob = node.client("rl-pm-bob", new EventRecorder());
            alice.join("rl-pm").join();
            bob.join("rl-pm").join();

            alice.sendPrivate("rl-pm-bob", "hi").join();
            alice.whisper("rl-pm", List.of("rl-pm-bob"), "psst").join();
            assertRateLimited(refusal(alice.send("rl-pm", "over")), 1_000, "too many messages sent on this session");
            alice.members("rl-pm").join();  // not a send: passes (once the reader has waited, see below)
            alice.ping().join();
        }
    }

    @Test
    void theSessionsOfOneUserShareTheUsersBudgetOnTheNode() {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.user-sends.per-second", "1",
                "dino.limits.rate.user-sends.burst", "2",
                "dino.limits.rate.user-joins.per-second", "1",
                "dino.limits.rate.user-joins.burst", "2"))) {
            DinoClient first = node.client("rl-user", new EventRecorder());
            DinoClient second = node.client("rl-user", new EventRecorder());
            DinoClient other = node.client("rl-other", new EventRecorder());

            first.join("rl-u1").join();
            second.join("rl-u1").join();
            assertRateLimited(refusal(first.join("rl-u2")), 1_000, "too many joins by this user");
            other.join("rl-u1").join();

            first.send("rl-u1", "a").join();
            second.send("rl-u1", "b").join();
            assertRateLimited(refusal(second.send("rl-u1", "c")), 1_000, "too many messages sent by this user");
            assertRateLimited(refusal(first.send("rl-u1", "d")), 1_000, "too many messages sent by this user");
            other.send("rl-u1", "e").join();
        }
    }

    @Test
    void aSessionThatKeepsSendingOverTheLimitIsClosedWithRateLimitedAndFramesBeforeConnectCount() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.commands.per-second", "20",
                "dino.limits.rate.commands.burst", "3",
                "dino.limits.rate.flood-close", "5"))) {
            EventRecorder events = new EventRecorder();
            DinoClient flooder = node.client("rl-flooder", events);
            DinoClient bystander = node.client("rl-bystander", new EventRecorder());
            for (int i = 0; i < 40; i++) {
                flooder.sendRaw("{\"id\":\"f" + i + "\",\"cmd\":\"ping\"}");
            }
            JsonNode disconnect = events.await("disconnect", TIMEOUT);
            assertThat(disconnect.get("code").asInt()).isEqualTo(4050);
            assertThat(disconnect.get("reconnect").asBoolean()).isTrue();
            assertThat(disconnect.get("reason").asText()).contains("flooding");
            CloseStatus closed = flooder.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(4050);
            List<JsonNode> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                try {
                    replies.add(flooder.awaitUnmatchedReply(Duration.ofMillis(200)));
                } catch (java.util.concurrent.TimeoutException e) {
                    break;
                }
            }
            assertThat(replies).filteredOn(reply -> reply.has("error"))
                    .as("five refusals, then the close").hasSize(5)
                    .allSatisfy(reply -> assertThat(reply.at("/error/name").asText()).isEqualTo("RATE_LIMITED"));
            assertThat(replies.size()).as("the frames after the close were not answered").isLessThan(40);
            bystander.ping().join();
            await().atMost(TIMEOUT).until(() -> node.node().sessionCount() == 1);

            // before connect too: a socket that floods frames is refused and closed alike
            DinoClient raw = node.rawClient(new EventRecorder());
            for (int i = 0; i < 60; i++) {
                raw.sendRaw("not json " + i);
            }
            assertThat(raw.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(4050);
        }
    }

    @Test
    void aRefusedFrameHoldsBackTheNextUntilItWouldBeAdmittedAndAPatientClientStaysOpen() {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.commands.per-second", "2",
                "dino.limits.rate.commands.burst", "2",
                "dino.limits.rate.flood-close", "3"))) {
            DinoClient client = node.client("rl-steady", new EventRecorder());  // connect took a token
            client.ping().join();
            long start = System.nanoTime();
            var first = client.ping();
            var second = client.ping();  // pipelined: the node reads it only once the bucket has a token again
            DinoException refused = refusal(first);
            assertThat(second.join().has("ts")).isTrue();
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMs).as("the second frame waited for its token").isGreaterThanOrEqualTo(refused.retryAfterMs().getAsLong() - 5);
            // a client that waits what the error says is admitted at its first try
            DinoException again = refusal(client.ping());
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(again.retryAfterMs().getAsLong()))
                    .until(() -> client.ping().join() != null);
            assertThat(client.isOpen()).as("two refusals within 10 s, below flood-close").isTrue();
        }
    }
}
