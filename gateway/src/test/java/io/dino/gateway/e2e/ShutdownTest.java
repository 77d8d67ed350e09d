package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node that shuts down tells its clients to reconnect elsewhere before it goes. */
class ShutdownTest {

    @Test
    void everyClientGetsTheReconnectNoticeAndAServiceRestartClose() throws Exception {
        TestNode node = TestNode.start(Map.of("dino.shutdown.drain-period", "PT0.2S"));
        EventRecorder aliceEvents = new EventRecorder();
        EventRecorder bobEvents = new EventRecorder();
        DinoClient alice = node.client("alice", aliceEvents);
        DinoClient bob = node.client("bob", bobEvents);
        alice.join("lobby").join();

        node.node().shutdown();

        for (EventRecorder events : List.of(aliceEvents, bobEvents)) {
            JsonNode notice = events.await("disconnect", TIMEOUT);
            assertThat(notice.get("code").asInt()).isEqualTo(5031);
            assertThat(notice.get("name").asText()).isEqualTo("SHUTTING_DOWN");
            assertThat(notice.get("reconnect").asBoolean()).isTrue();
        }
        for (DinoClient client : List.of(alice, bob)) {
            CloseStatus status = client.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.code()).isEqualTo(1012);
        }
        node.close();
    }

    @Test
    void whileDrainingTheNodeIsNotReadyAndNewSocketsAreToldToGoElsewhere() throws Exception {
        TestNode node = TestNode.start(Map.of("dino.shutdown.drain-period", "PT3S"));
        node.client("early", new EventRecorder());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(node.httpUri("/observe/health/ready")).build();
        assertThat(http.send(readiness, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        Thread shutdown = Thread.ofVirtual().start(() -> node.node().shutdown());
        await().atMost(TIMEOUT).until(() -> http.send(readiness, HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
        EventRecorder lateEvents = new EventRecorder();
        DinoClient late = node.rawClient(lateEvents);

        assertThat(lateEvents.await("disconnect", TIMEOUT).get("name").asText()).isEqualTo("SHUTTING_DOWN");
        assertThat(late.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(1012);
        shutdown.join(TIMEOUT);
        node.close();
    }
}
