package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Redis goes away and comes back (with its append-only file): no silent OK, no lost acknowledged message. */
class RedisOutageTest {

    @Test
    void publishesFailCleanlyWhileRedisIsDownAndTheNodeResumesWithoutARestart() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Options.DEFAULT.withAppendOnly(true));
             TestNode node = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(),
                     "dino.redis.command-timeout", "PT1S", "dino.cluster.heartbeat-interval", "PT0.5S",
                     "dino.cluster.node-timeout", "PT30S"))) {
            EventRecorder events = new EventRecorder();
            DinoClient member = node.client("nia", events);
            member.join("ops").join();
            DinoClient leaver = node.client("otto", new EventRecorder());
            leaver.join("ops").join();
            var backend = node.backend();
            List<Long> acknowledged = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                acknowledged.add(publish(backend, "before " + i));
            }

            redis.kill();

            assertThatThrownBy(() -> publish(backend, "during")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThatThrownBy(() -> member.send("ops", "during").join()).isInstanceOfSatisfying(CompletionException.class,
                    e -> assertThat(((DinoException) e.getCause()).name()).isEqualTo("UNAVAILABLE"));
            assertThatThrownBy(() -> member.join("new-room").join()).isInstanceOfSatisfying(CompletionException.class,
                    e -> assertThat(((DinoException) e.getCause()).name()).isEqualTo("UNAVAILABLE"));
            leaver.close();  // its presence cannot be removed now; the node must clean it up later

            redis.restart();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> publish(node.backend(), "after 0") > 0);
            for (int i = 1; i < 5; i++) {
                acknowledged.add(publish(backend, "after " + i));
            }

            assertThatThrownBy(() -> member.send("new-room", "x").join()).isInstanceOfSatisfying(CompletionException.class,
                    e -> assertThat(((DinoException) e.getCause()).name()).isEqualTo("NOT_IN_ROOM"));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.backend().listRoomMembers(
                    io.dino.api.v1.ListRoomMembersRequest.newBuilder().setRoom("ops").build()).getUsersList().equals(List.of("nia")));
            JsonNode last = events.await(e -> e.at("/msg/body").asText().equals("after 4"), TIMEOUT);
            assertThat(last.at("/msg/offset").asLong()).isEqualTo(acknowledged.getLast());
            JsonNode history = member.history("ops", 100).join();
            assertThat(history.get("messages")).extracting(m -> m.get("body").asText())
                    .startsWith("before 0", "before 1", "before 2", "before 3", "before 4")
                    .contains("after 0", "after 1", "after 2", "after 3", "after 4")
                    .doesNotContain("during");
            assertThat(history.get("messages")).extracting(m -> m.get("offset").asLong()).containsAll(acknowledged);
        }
    }

    private static long publish(io.dino.api.v1.BackendGrpc.BackendBlockingStub backend, String text) {
        return backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ops").setBodyJson("\"" + text + "\"").build())
                .getPosition().getOffset();
    }
}
