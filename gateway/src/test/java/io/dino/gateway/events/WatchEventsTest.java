package io.dino.gateway.events;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.client.EventWatch;
import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.Event;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The Events service's WatchEvents on one node (memory engine), through real sockets and the backend client. */
public class WatchEventsTest {

    private static TestNode node;
    private static DinoBackendClient backend;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    @AfterAll
    static void stop() {
        backend.close();
        node.close();
    }

    /** The next {@code count} events of the watch (failing after the test timeout). */
    public static List<Event> take(EventWatch watch, int count) {
        return assertTimeoutPreemptively(TIMEOUT, () -> {
            List<Event> events = new ArrayList<>();
            while (events.size() < count) {
                assertThat(watch.hasNext()).as("the stream goes on").isTrue();
                events.add(watch.next());
            }
            return events;
        });
    }

    @Test
    void aWatcherSeesJoinsMessagesLeavesAndKicksOfItsRoomInOrderAndResumesAfterAnyOfThem() {
        DinoClient alice = node.client("ev-alice", new EventRecorder());
        DinoClient bob = node.client("ev-bob", new EventRecorder());
        alice.join("ev-a").join();
        bob.join("ev-a").join();
        alice.join("ev-b").join();
        alice.send("ev-b", "elsewhere").join();  // another room: filtered out
        String messageId = alice.send("ev-a", Map.of("text", "hi")).join().path("id").asText();
        bob.leave("ev-a").join();
        backend.kickUser("ev-a", "ev-alice", "spam", "ev-mod");

        List<Event> seen;
        try (EventWatch watch = backend.watchEvents(List.of("joined", "message", "left", "kicked"), List.of("ev-a"), "0")) {
            seen = take(watch, 5);
        }
        assertThat(seen).extracting(Event::getType, Event::getRoom, Event::getUser, Event::getBy).containsExactly(
                tuple(io.dino.api.v1.EventType.JOINED, "ev-a", "ev-alice", ""),
                tuple(io.dino.api.v1.EventType.JOINED, "ev-a", "ev-bob", ""),
                tuple(io.dino.api.v1.EventType.MESSAGE, "ev-a", "ev-alice", ""),
                tuple(io.dino.api.v1.EventType.LEFT, "ev-a", "ev-bob", ""),
                tuple(io.dino.api.v1.EventType.KICKED, "ev-a", "ev-alice", "ev-mod"));
        assertThat(seen).extracting(Event::getNode).containsOnly(node.node().nodeId());
        Event message = seen.get(2);
        assertThat(message.getDataMap()).containsEntry("messageId", messageId).containsEntry("body", "{\"text\":\"hi\"}")
                .containsEntry("offset", "1").containsEntry("source", "session").containsKey("epoch");
        assertThat(seen.get(0).getDataMap()).containsEntry("session", alice.connectResult().path("session").asText());
        assertThat(seen.get(3).getDataMap()).containsEntry("reason", "leave");
        assertThat(seen.get(4).getDataMap()).containsEntry("reason", "spam").containsEntry("sessions", "1");
        assertThat(seen).extracting(Event::getTimeMs).allMatch(time -> time > 0).isSorted();

        // resuming after the message: the leave and the kick, not the message again
        try (EventWatch resumed = backend.watchEvents(List.of("joined", "message", "left", "kicked"), List.of("ev-a"),
                message.getId())) {
            assertThat(take(resumed, 2)).extracting(Event::getId).containsExactly(seen.get(3).getId(), seen.get(4).getId());
        }
        alice.close();
        bob.close();
    }

    @Test
    void connectsDisconnectsWithTheirCauseStatusAndPrivateMessagesAreEventsOfNoRoom() {
        DinoClient carol = node.client("ev-carol", new EventRecorder());
        String session = carol.connectResult().path("session").asText();
        carol.setStatus("away").join();
        carol.sendPrivate("ev-dave", "psst").join();
        backend.disconnectUser("ev-carol", "bye now", false);
        await().atMost(TIMEOUT).until(() -> !carol.isOpen());

        try (EventWatch watch = backend.watchEvents(List.of(), List.of(), "0")) {
            List<Event> mine = new ArrayList<>();
            assertTimeoutPreemptively(TIMEOUT, () -> {
                while (mine.size() < 4) {
                    Event event = watch.next();
                    if (event.getUser().equals("ev-carol")) {
                        mine.add(event);
                    }
                }
            });
            assertThat(mine).extracting(Event::getType).containsExactly(io.dino.api.v1.EventType.CONNECTED,
                    io.dino.api.v1.EventType.STATUS_CHANGED, io.dino.api.v1.EventType.PRIVATE_MESSAGE,
                    io.dino.api.v1.EventType.DISCONNECTED);
            assertThat(mine).extracting(Event::getRoom).containsOnly("");
            assertThat(mine.get(0).getDataMap()).containsEntry("session", session);
            assertThat(mine.get(1).getDataMap()).containsEntry("status", "away").containsEntry("source", "session");
            assertThat(mine.get(2).getDataMap()).containsEntry("to", "ev-dave").containsEntry("body", "\"psst\"");
            assertThat(mine.get(3).getDataMap()).containsEntry("session", session).containsEntry("error", "DISCONNECTED")
                    .containsEntry("reason", "bye now");
        }
    }

    @Test
    void roomsCreatedRenamedAndRemovedByABackendAreEvents() {
        backend.createRoom(CreateRoomRequest.newBuilder().setId("ev-hall").setName("Ev hall")
                .setKind(RoomKind.ROOM_KIND_STATIC).build());
        backend.renameRoom("ev-hall", "Ev hall 2");
        backend.removeRoom("ev-hall");
        try (EventWatch watch = backend.watchEvents(List.of("room-created", "room-renamed", "room-removed"),
                List.of("ev-hall"), "0")) {
            List<Event> seen = take(watch, 3);
            assertThat(seen).extracting(Event::getType).containsExactly(io.dino.api.v1.EventType.ROOM_CREATED,
                    io.dino.api.v1.EventType.ROOM_RENAMED, io.dino.api.v1.EventType.ROOM_REMOVED);
            assertThat(seen.get(0).getDataMap()).containsEntry("name", "Ev hall").containsEntry("kind", "static")
                    .containsEntry("channel", "default");
            assertThat(seen.get(1).getDataMap()).containsEntry("name", "Ev hall 2").containsEntry("previousName", "Ev hall");
        }
    }

    @Test
    void anEmptyAfterStreamsOnlyWhatHappensOnceTheWatchRuns() {
        backend.publishToRoom("ev-new", "\"before\"");
        try (EventWatch watch = backend.watchEvents(List.of("message"), List.of("ev-new"), "")) {
            AtomicInteger sent = new AtomicInteger();
            // the watch starts at some point after the call: send (one per poll) until something arrives
            java.util.concurrent.CompletableFuture<List<Event>> first = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    first.complete(take(watch, 1));
                } catch (Throwable e) {
                    first.completeExceptionally(e);
                }
            });
            await().atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                backend.publishToRoom("ev-new", "\"after-" + sent.incrementAndGet() + "\"");
                return first.isDone();
            });
            List<Event> seen = first.join();
            assertThat(seen.getFirst().getDataMap().get("body")).startsWith("\"after-");
            assertThat(seen.getFirst().getDataMap()).containsEntry("source", "backend");
        }
    }

    @Test
    void unknownTypesAndMalformedPositionsAreInvalidArguments() {
        try (EventWatch watch = backend.watchEvents(List.of("nonsense"), List.of(), "")) {
            StatusRuntimeException refused = assertTimeoutPreemptively(TIMEOUT,
                    () -> catchThrowableOfType(StatusRuntimeException.class, watch::hasNext));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription()).contains("nonsense");
        }
        try (EventWatch watch = backend.watchEvents(List.of(), List.of(), "not-a-position")) {
            StatusRuntimeException refused = assertTimeoutPreemptively(TIMEOUT,
                    () -> catchThrowableOfType(StatusRuntimeException.class, watch::hasNext));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void aWatchNeedsAnApiKey() {
        try (DinoBackendClient stranger = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey("wrong").build();
             EventWatch watch = stranger.watchEvents(List.of(), List.of(), "")) {
            StatusRuntimeException refused = assertTimeoutPreemptively(TIMEOUT,
                    () -> catchThrowableOfType(StatusRuntimeException.class, watch::hasNext));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }
}
