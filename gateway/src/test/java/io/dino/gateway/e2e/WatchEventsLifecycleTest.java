package io.dino.gateway.e2e;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.client.EventWatch;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.events.WatchEventsTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A WatchEvents stream ends on cancel and on the drain, counts in the watchers gauge, and is bounded per node. */
class WatchEventsLifecycleTest {

    private static final String WATCHERS = "dino_events_watchers";

    @Test
    void aCancelledWatchIsGoneFromTheGaugeAndTheEventsCountersCount() throws Exception {
        try (TestNode node = TestNode.start();
             DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            EventWatch watch = backend.watchEvents(List.of(), List.of(), "");
            await().atMost(TIMEOUT).until(() -> NodeMetrics.value(node, WATCHERS) == 1);
            double emitted = NodeMetrics.value(node, "dino_events_emitted_total");
            DinoClient client = node.client("lc-user", new EventRecorder());
            client.join("lc-room").join();
            await().atMost(TIMEOUT).until(() -> NodeMetrics.value(node, "dino_events_emitted_total") >= emitted + 2);
            watch.close();
            assertTimeoutPreemptively(TIMEOUT, () -> assertThat(watch.hasNext()).isFalse());
            await().atMost(TIMEOUT).until(() -> NodeMetrics.value(node, WATCHERS) == 0);
            assertThat(NodeMetrics.value(node, "dino_events_dropped_total", "reason=\"queue-full\"")).isZero();
            client.close();
        }
    }

    @Test
    void theDrainEndsEveryWatchWithOkLongBeforeTheGrpcGrace() throws Exception {
        TestNode node = TestNode.start(Map.of("dino.shutdown.grpc-grace", "PT30S", "dino.shutdown.drain-period", "PT0S"));
        try (DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            EventWatch watch = backend.watchEvents(List.of(), List.of(), "");
            await().atMost(TIMEOUT).until(() -> NodeMetrics.value(node, WATCHERS) == 1);
            long started = System.nanoTime();
            Thread closing = Thread.ofVirtual().start(node::close);
            assertTimeoutPreemptively(TIMEOUT, () -> assertThat(watch.hasNext()).as("ended OK, not failed").isFalse());
            closing.join(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        } finally {
            node.close();
        }
    }

    @Test
    void aNodeServesAtMostItsMaxWatchers() {
        try (TestNode node = TestNode.start(Map.of("dino.events.max-watchers", "1"));
             DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
             EventWatch first = backend.watchEvents(List.of(), List.of(), "0")) {
            DinoClient client = node.client("mw-user", new EventRecorder());  // the first watch sees its connect
            assertThat(WatchEventsTest.take(first, 1)).isNotEmpty();
            try (EventWatch second = backend.watchEvents(List.of(), List.of(), "0")) {
                StatusRuntimeException refused = assertTimeoutPreemptively(TIMEOUT,
                        () -> catchThrowableOfType(StatusRuntimeException.class, second::hasNext));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            client.close();
        }
    }
}
