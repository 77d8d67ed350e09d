package io.dino.gateway.cluster;

import io.dino.api.client.EventWatch;
import io.dino.api.v1.Event;
import io.dino.api.v1.EventType;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.events.WatchEventsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one Redis: what happens on node B reaches a watcher connected to node A, once, although both nodes
 * hold the room (a kick applied on both is one {@code kicked}, with no {@code left}).
 */
class EventsClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withBackendClients();

    @Test
    void eventsOfNodeBReachAWatcherOnNodeAOnceEach() {
        DinoClient carlOnB = cluster.b().client("ec-carl", new EventRecorder());
        carlOnB.join("ec-hall").join();
        DinoClient danOnA = cluster.a().client("ec-dan", new EventRecorder());
        danOnA.join("ec-hall").join();
        carlOnB.send("ec-hall", "from b").join();
        // dan's only session is on A, but node B takes the kick: both nodes hold the room and apply it
        assertThat(cluster.backendOnB().kickUser("ec-hall", "ec-dan", "bye", "ec-mod")).isEqualTo(1);
        cluster.backendOnA().publishToRoom("ec-hall", "\"marker\"");

        try (EventWatch watch = cluster.backendOnA().watchEvents(List.of(), List.of("ec-hall"), "0")) {
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
        DinoClient erin = cluster.b().client("ec-erin", new EventRecorder());
        erin.close();
        await().atMost(TIMEOUT).until(() -> !erin.isOpen());
        try (EventWatch watch = cluster.backendOnA().watchEvents(List.of("connected", "disconnected"), List.of(), "0")) {
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
