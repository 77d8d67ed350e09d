package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis restarts without persistence while a room is busy: every log starts over in a new epoch. A member
 * on another node than the publisher must still receive every message acknowledged after the restart, live,
 * although the new epoch's first entries reach its node late and out of order (the node's interest is
 * written back only by its housekeeping).
 */
class RedisResetTest {

    private static final String ROOM = "busy";

    @Test
    void everyMessageAcknowledgedAfterARestartWithoutPersistenceIsDelivered() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestNode publisherNode = node(redis, "pub");
             TestNode memberNode = node(redis, "mem")) {
            EventRecorder member = new EventRecorder();
            memberNode.client("mia", member).join(ROOM).join();
            BackendGrpc.BackendBlockingStub backend = publisherNode.backend();
            for (int i = 0; i < 100; i++) {
                publish(backend, "before " + i);
            }
            member.awaitCount(e -> e.path("event").asText().equals("message"), 100, TestNode.TIMEOUT);

            redis.kill();
            redis.restart();  // empty: no append-only file, no snapshot
            List<PublishResponse> acknowledged = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> acknowledged.add(publish(publisherNode.backend(), "after 0")));
            for (int i = 1; i < 100; i++) {
                acknowledged.add(publish(backend, "after " + i));
            }

            String newEpoch = acknowledged.getFirst().getPosition().getEpoch();
            assertThat(acknowledged).allSatisfy(r -> assertThat(r.getPosition().getEpoch()).isEqualTo(newEpoch));
            List<JsonNode> received = member.awaitCount(
                    e -> e.path("event").asText().equals("message") && e.at("/msg/epoch").asText().equals(newEpoch),
                    acknowledged.size(), Duration.ofSeconds(20));
            Set<Long> offsets = received.stream().map(e -> e.at("/msg/offset").asLong()).collect(Collectors.toSet());
            assertThat(offsets).containsAll(acknowledged.stream().map(r -> r.getPosition().getOffset()).toList());
            assertThat(received).extracting(e -> e.at("/msg/offset").asLong()).isSorted();
        }
    }

    private static TestNode node(RedisServer redis, String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.redis.command-timeout", "PT1S", "dino.cluster.heartbeat-interval", "PT0.5S",
                "dino.cluster.node-timeout", "PT30S"));
    }

    private static PublishResponse publish(BackendGrpc.BackendBlockingStub backend, String text) {
        return backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom(ROOM).setBodyJson("\"" + text + "\"").build());
    }
}
