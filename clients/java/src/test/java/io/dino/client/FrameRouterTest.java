package io.dino.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameRouterTest {

    private final PendingRequests pending = new PendingRequests();
    private final List<JsonNode> events = new ArrayList<>();
    private final List<JsonNode> unmatched = new ArrayList<>();
    private final FrameRouter router = new FrameRouter(DinoClient.MAPPER, pending, events::add, unmatched::add);

    @Test
    void numbersInAMessageBodyKeepTheirValue() {
        router.route("{\"event\":\"message\",\"msg\":{\"body\":{\"big\":1e400,"
                + "\"precise\":0.1000000000000000055511151231257827,\"scaled\":1.50,\"huge\":12345678901234567890123}}}");

        JsonNode body = events.getFirst().at("/msg/body");
        assertThat(body.get("big").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(body.get("precise").decimalValue().toPlainString()).isEqualTo("0.1000000000000000055511151231257827");
        assertThat(body.get("scaled").toString()).isEqualTo("1.50");
        assertThat(body.get("huge").bigIntegerValue()).hasToString("12345678901234567890123");
    }

    @Test
    void resultCompletesTheRequestWithTheSameId() throws Exception {
        PendingRequests.Pending first = pending.register(null, "test");
        PendingRequests.Pending second = pending.register(null, "test");

        router.route("{\"id\":" + second.id() + ",\"result\":{\"room\":\"r\",\"epoch\":\"e1\",\"offset\":7}}");

        assertThat(second.reply().getNow(null).get("offset").asLong()).isEqualTo(7);
        assertThat(first.reply()).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(events).isEmpty();
        assertThat(unmatched).isEmpty();
    }

    @Test
    void errorFailsTheRequestWithCodeNameAndMessage() {
        PendingRequests.Pending request = pending.register(null, "test");

        router.route("{\"id\":" + request.id() + ",\"error\":{\"code\":4031,\"name\":\"NOT_IN_ROOM\",\"message\":\"join first\"}}");

        assertThatThrownBy(() -> request.reply().get())
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(DinoException.class, e -> {
                    assertThat(e.code()).isEqualTo(4031);
                    assertThat(e.name()).isEqualTo("NOT_IN_ROOM");
                    assertThat(e.getMessage()).isEqualTo("join first");
                    assertThat(e.toString()).contains("4031", "NOT_IN_ROOM", "join first");
                });
    }

    @Test
    void replyWithoutResultOrErrorFailsAsMalformed() {
        PendingRequests.Pending request = pending.register(null, "test");

        router.route("{\"id\":" + request.id() + "}");

        assertThatThrownBy(() -> request.reply().get())
                .cause()
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.name()).isEqualTo("MALFORMED_REPLY"));
    }

    @Test
    void eventsGoToTheEventConsumerInOrder() {
        router.route("{\"event\":\"joined\",\"room\":\"r\",\"user\":\"u\"}");
        router.route("{\"event\":\"message\",\"msg\":{\"id\":\"m1\",\"room\":\"r\",\"body\":\"hi\"}}");

        assertThat(events).extracting(e -> e.get("event").asText()).containsExactly("joined", "message");
        assertThat(events.get(1).at("/msg/body").asText()).isEqualTo("hi");
        assertThat(unmatched).isEmpty();
    }

    @Test
    void repliesNoRequestWaitsForAreUnmatched() {
        PendingRequests.Pending request = pending.register(null, "test");

        router.route("{\"id\":null,\"error\":{\"code\":4001,\"name\":\"BAD_FRAME\",\"message\":\"no id\"}}");
        router.route("{\"id\":" + (request.id() + 100) + ",\"result\":{}}");
        router.route("{\"id\":\"" + request.id() + "\",\"result\":{}}");
        router.route("{\"id\":99999999999,\"result\":{}}");

        assertThat(unmatched).hasSize(4);
        assertThat(unmatched.getFirst().at("/error/name").asText()).isEqualTo("BAD_FRAME");
        assertThat(request.reply()).isNotDone();
        assertThat(events).isEmpty();
    }

    @Test
    void aSecondReplyToTheSameIdIsUnmatched() {
        PendingRequests.Pending request = pending.register(null, "test");

        router.route("{\"id\":" + request.id() + ",\"result\":{\"n\":1}}");
        router.route("{\"id\":" + request.id() + ",\"result\":{\"n\":2}}");

        assertThat(request.reply().getNow(null).get("n").asInt()).isEqualTo(1);
        assertThat(unmatched).singleElement().satisfies(f -> assertThat(f.at("/result/n").asInt()).isEqualTo(2));
    }

    @Test
    void framesThatAreNotProtocolObjectsAreUnmatched() {
        router.route("not json");
        router.route("[1,2]");
        router.route("{\"hello\":1}");
        router.route("");

        assertThat(unmatched).hasSize(4);
        assertThat(unmatched.get(0).isTextual()).isTrue();
        assertThat(unmatched.get(0).asText()).isEqualTo("not json");
        assertThat(unmatched.get(1).isArray()).isTrue();
        assertThat(unmatched.get(2).get("hello").asInt()).isEqualTo(1);
        assertThat(unmatched.get(3).asText()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void lateReplyToATimedOutRequestIsUnmatched() {
        PendingRequests.Pending request = pending.register(Duration.ofMillis(1), "join");
        assertThatThrownBy(() -> request.reply().get())
                .cause()
                .isInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasMessageContaining("join");

        router.route("{\"id\":" + request.id() + ",\"result\":{}}");

        assertThat(pending.size()).isZero();
        assertThat(unmatched).hasSize(1);
    }
}
