package io.dino.gateway.e2e;

import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoSession;
import io.dino.client.RejoinFailure;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconnecting DinoSession whose re-joins are refused with RATE_LIMITED (the user's join budget on the node
 * outlives the dropped session) retries them no sooner than retryAfterMs, and ends up in every room.
 */
class RateLimitedRejoinTest {

    @Test
    void rejoinsRefusedByTheRateLimitAreRetriedAfterTheWaitAndEveryRoomRecovers() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.limits.rate.user-joins.per-second", "1",
                "dino.limits.rate.user-joins.burst", "6"))) {
            Map<String, List<String>> bodies = new ConcurrentHashMap<>();
            List<RejoinFailure> failures = new CopyOnWriteArrayList<>();
            DinoSession session = DinoSession.builder(List.of(node.wsUri()), () -> node.token("rl-rejoin"))
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(20))
                    .onMessage(event -> bodies.computeIfAbsent(event.at("/msg/room").asText(), room -> new CopyOnWriteArrayList<>())
                            .add(event.at("/msg/body").asText()))
                    .onRejoinFailure(failures::add)
                    .build();
            session.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<String> rooms = List.of("rl-r1", "rl-r2", "rl-r3", "rl-r4", "rl-r5", "rl-r6");
            for (String room : rooms) {
                session.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);  // the user's whole burst
            }

            node.backend().disconnectUser(DisconnectUserRequest.newBuilder().setUser("rl-rejoin").setReconnect(true).build());
            for (String room : rooms) {
                publish(node, room, "while away");
            }

            // the user's budget gives one join a second: the six re-joins take a few seconds
            await().atMost(Duration.ofSeconds(30)).until(() -> rooms.stream().allMatch(room -> bodies.getOrDefault(room, List.of()).contains("while away")));
            assertThat(failures).as("at least one re-join was refused by the user's join budget").isNotEmpty()
                    .allSatisfy(failure -> {
                        assertThat(failure.code()).isEqualTo(4050);
                        assertThat(failure.retrying()).as("RATE_LIMITED is temporary: the room is retried").isTrue();
                    });
            for (String room : rooms) {
                publish(node, room, "after");
            }
            await().atMost(TIMEOUT).until(() -> rooms.stream().allMatch(room -> bodies.getOrDefault(room, List.of()).contains("after")));
            session.close();
        }
    }

    private static void publish(TestNode node, String room, String text) {
        node.backend().publishToRoom(PublishToRoomRequest.newBuilder().setRoom(room).setBodyJson("\"" + text + "\"").build());
    }

}
