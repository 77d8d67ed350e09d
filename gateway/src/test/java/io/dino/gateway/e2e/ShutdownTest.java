package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.CallOutcomes;
import io.dino.gateway.HealthWatch;
import io.dino.gateway.TestNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
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
    void aHealthWatcherWhoseConnectionVanishedDoesNotStopTheShutdownHalfWay() throws Exception {
        TestNode node = TestNode.start(Map.of("dino.shutdown.drain-period", "PT0.2S", "dino.shutdown.grpc-grace", "PT1S"));
        ManagedChannel channel = node.channel();
        HealthWatch.open(channel);
        channel.shutdownNow();  // the connection goes; the server is not told the watch ended
        assertThat(channel.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        DinoClient client = node.client("carl", new EventRecorder());
        java.net.URI live = node.httpUri("/observe/health/live");

        node.node().shutdown();

        assertThat(client.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(1012);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(TIMEOUT).until(() -> {
            try {
                http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding());
                return false;
            } catch (java.io.IOException refused) {
                return true;  // the server stopped: the shutdown ran to its end
            }
        });
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

    @Test
    void callsRefusedWhileDrainingLeaveTheCallsInFlightOnTheirChannelAlone() throws Exception {
        // closing the one WebSocket session starts a pause of 30-60 s: the node drains until the test ends it
        TestNode node = TestNode.start(Map.of("dino.shutdown.drain-period", "PT60S"));
        try {
            node.client("lingering", new EventRecorder());
            ManagedChannel channel = node.channel();
            ListOnlineUsersRequest request = ListOnlineUsersRequest.getDefaultInstance();
            // a request of many DATA frames, most of them still on their way when the call is refused
            PublishToRoomRequest large = PublishToRoomRequest.newBuilder()
                    .setRoom("refused").setBodyJson("\"" + "x".repeat(1 << 20) + "\"").build();
            HealthCheckRequest overall = HealthCheckRequest.newBuilder().setService("").build();
            CallOutcomes outcomes = new CallOutcomes();
            Thread shutdown;
            try (HealthWatch watch = HealthWatch.open(channel)) {
                shutdown = Thread.ofVirtual().start(() -> node.node().shutdown());
                watch.awaitStatus(ServingStatus.NOT_SERVING);
                await().atMost(TIMEOUT).until(() -> refusedAsDraining(channel, request));

                Runnable check = () -> HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS).check(overall);
                // more calls in flight on the same connection while the refused ones are answered
                try (var callers = outcomes.keepCalling(2, "concurrent health check", check)) {
                    for (int round = 0; round < 200; round++) {
                        outcomes.expectStatus("backend call while draining", Status.Code.UNAVAILABLE,
                                "the node is shutting down",
                                () -> TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request));
                        outcomes.expectOk("health check after a refused call", check);
                        if (round % 10 == 0) {
                            outcomes.expectStatus("large backend call while draining", Status.Code.UNAVAILABLE,
                                    "the node is shutting down",
                                    () -> TestNode.backend(channel, TestNode.API_KEY).publishToRoom(large));
                            outcomes.expectOk("health check after a large refused call", check);
                        }
                    }
                }

                outcomes.assertAllAsExpected();
                assertThat(watch.statuses()).contains(ServingStatus.NOT_SERVING);
                assertThat(watch.ended()).as("the watch in flight on the same channel").isEmpty();
                assertThat(shutdown.isAlive()).as("the node still drains").isTrue();
            }
            shutdown.interrupt();
            assertThat(shutdown.join(TIMEOUT)).as("an interrupted drain stops the node at once").isTrue();
        } finally {
            node.close();
        }
    }

    @Test
    void aHealthWatchDoesNotHoldTheDrainAndIsToldNotServingBeforeItEnds() throws Exception {
        TestNode node = TestNode.start(Map.of("dino.shutdown.grpc-grace", "PT60S"));
        try (HealthWatch watch = HealthWatch.open(node.channel())) {
            Thread shutdown = Thread.ofVirtual().start(() -> node.node().shutdown());

            assertThat(shutdown.join(TIMEOUT)).as("the shutdown ends without waiting for the watch").isTrue();
            await().atMost(TIMEOUT).until(() -> watch.ended().isPresent());
            assertThat(watch.statuses()).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
        } finally {
            node.close();
        }
    }

    private static boolean refusedAsDraining(ManagedChannel channel, ListOnlineUsersRequest request) {
        try {
            TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request);
            return false;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
        }
    }
}
