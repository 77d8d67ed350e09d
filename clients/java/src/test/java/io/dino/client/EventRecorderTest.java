package io.dino.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRecorderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(10);

    private static JsonNode event(String type, int n) {
        return MAPPER.createObjectNode().put("event", type).put("n", n);
    }

    @Test
    void keepsEventsInArrivalOrderAndFiltersByType() {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("joined", 1));
        recorder.accept(event("message", 2));
        recorder.accept(event("message", 3));

        assertThat(recorder.events()).extracting(e -> e.get("n").asInt()).containsExactly(1, 2, 3);
        assertThat(recorder.events("message")).extracting(e -> e.get("n").asInt()).containsExactly(2, 3);
        assertThat(recorder.events("left")).isEmpty();
    }

    @Test
    void snapshotsDoNotChangeWhenMoreEventsArrive() {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("message", 1));
        List<JsonNode> snapshot = recorder.events();
        recorder.accept(event("message", 2));

        assertThat(snapshot).hasSize(1);
        assertThat(recorder.events()).hasSize(2);
    }

    @Test
    void awaitReturnsAnEventRecordedEarlier() throws Exception {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("joined", 1));
        recorder.accept(event("message", 2));

        assertThat(recorder.await("message", Duration.ZERO).get("n").asInt()).isEqualTo(2);
        assertThat(recorder.await(e -> e.get("n").asInt() == 1, Duration.ZERO).get("event").asText()).isEqualTo("joined");
    }

    @Test
    void awaitWakesUpWhenAnotherThreadRecordsTheEvent() throws Exception {
        EventRecorder recorder = new EventRecorder();
        CountDownLatch started = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 100; i++) {
                recorder.accept(event(i == 99 ? "left" : "message", i));
            }
        });
        started.countDown();

        JsonNode left = recorder.await("left", LONG);
        producer.join();

        assertThat(left.get("n").asInt()).isEqualTo(99);
    }

    @Test
    void awaitCountReturnsTheFirstMatchesInOrder() throws Exception {
        EventRecorder recorder = new EventRecorder();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 10; i++) {
                recorder.accept(event(i % 2 == 0 ? "message" : "joined", i));
            }
        });

        List<JsonNode> messages = recorder.awaitCount(EventRecorder.ofType("message"), 3, LONG);
        producer.join();

        assertThat(messages).extracting(e -> e.get("n").asInt()).containsExactly(0, 2, 4);
    }

    @Test
    void awaitTimesOutAfterTheDeadlineAndListsWhatWasRecorded() {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("joined", 1));
        Duration timeout = Duration.ofMillis(50);

        long start = System.nanoTime();
        assertThatThrownBy(() -> recorder.await("message", timeout))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("joined");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void awaitCountTimesOutWhenTooFewMatch() {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("message", 1));

        assertThatThrownBy(() -> recorder.awaitCount(EventRecorder.ofType("message"), 2, Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("found 1");
    }

    @Test
    void clearForgetsEarlierEvents() throws Exception {
        EventRecorder recorder = new EventRecorder();
        recorder.accept(event("message", 1));
        recorder.clear();

        assertThat(recorder.events()).isEmpty();
        assertThatThrownBy(() -> recorder.await("message", Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);
        recorder.accept(event("message", 2));
        assertThat(recorder.await("message", Duration.ZERO).get("n").asInt()).isEqualTo(2);
    }

    @Test
    void recordsEveryEventFromConcurrentThreads() throws Exception {
        EventRecorder recorder = new EventRecorder();
        int threads = 8;
        int perThread = 1000;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    recorder.accept(event("message", base + i));
                }
            }));
        }

        List<JsonNode> all = recorder.awaitCount(e -> true, threads * perThread, LONG);
        for (Thread producer : producers) {
            producer.join();
        }

        assertThat(all).extracting(e -> e.get("n").asInt()).doesNotHaveDuplicates().hasSize(threads * perThread);
        assertThat(recorder.events()).hasSize(threads * perThread);
    }
}
