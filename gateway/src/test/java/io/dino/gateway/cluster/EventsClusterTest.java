package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.client.EventWatch;
import io.dino.api.v1.Event;
import io.dino.api.v1.EventType;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.events.WatchEventsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one Redis: what happens on node B reaches a watcher connected to node A, once, although both nodes
 * hold the room (a kick applied on both is one {@code kicked}, with no {@code left}).
 */
class EventsClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static DinoBackendClient backendOnA;
    private static DinoBackendClient backendOnB;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        backendOnA = DinoBackendClient.builder("127.0.0.1", a.grpcPort()).apiKey(TestNode.API_KEY).build();
        backendOnB = DinoBackendClient.builder("127.0.0.1", b.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        backendOnA.close();
        backendOnB.close();
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void eventsOfNodeBReachAWatcherOnNodeAOnceEach() {
        DinoClient carlOnB = b.client("ec-carl", new EventRecorder());
        carlOnB.join("ec-hall").join();
        DinoClient danOnA = a.client("ec-dan", new EventRecorder());
        danOnA.join("ec-hall").join();
        carlOnB.send("ec-hall", "from b").join();
        // dan's only session is on A, but node B takes the kick: both nodes hold the room and apply it
        assertThat(backendOnB.kickUser("ec-hall", "ec-dan", "bye", "ec-mod")).isEqualTo(1);
        backendOnA.publishToRoom("ec-hall", "\"marker\"");

        try (EventWatch watch = backendOnA.watchEvents(List.of(), List.of("ec-hall"), "0")) {
            List<Event> seen = WatchEventsTest.take(watch, 5);
            assertThat(seen).extracting(Event::getType, Event::getUser, Event::getNode).containsExactly(
                    tuple(EventType.JOINED, "ec-carl", "b"),
                    tuple(EventType.JOINED, "ec-dan", "a"),
                    tuple(EventType.MESSAGE, "ec-carl", "b"),
                    tuple(EventType.KICKED, "ec-dan", "b"),
                    // the next event is the marker: no second kicked, no left for the kicked session
                    tuple(EventType.MESSAGE, "system", "a"));
            assertThat(seen.get(4).getDataMap()).containsEntry("body", "\"marker\"").containsEntry("source", "backend");
        }
        carlOnB.close();
        danOnA.close();
    }

    @Test
    void aDisconnectOnNodeBIsSeenOnNodeAWithItsCause() {
        DinoClient erin = b.client("ec-erin", new EventRecorder());
        erin.close();
        await().atMost(TIMEOUT).until(() -> !erin.isOpen());
        try (EventWatch watch = backendOnA.watchEvents(List.of("connected", "disconnected"), List.of(), "0")) {
            Event connected;
            do {
                connected = WatchEventsTest.take(watch, 1).getFirst();
            } while (!connected.getUser().equals("ec-erin"));
            assertThat(connected.getType()).isEqualTo(EventType.CONNECTED);
            Event disconnected;
            do {
                disconnected = WatchEventsTest.take(watch, 1).getFirst();
            } while (!disconnected.getUser().equals("ec-erin"));
            assertThat(disconnected.getType()).isEqualTo(EventType.DISCONNECTED);
            assertThat(disconnected.getNode()).isEqualTo("b");
            assertThat(disconnected.getDataMap()).containsEntry("code", "1000").containsEntry("error", "")
                    .containsEntry("session", connected.getDataMap().get("session"));
        }
    }
}
