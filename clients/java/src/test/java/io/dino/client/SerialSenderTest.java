package io.dino.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialSenderTest {

    private final SerialSender sender = new SerialSender();

    @Test
    void startsTheNextOperationOnlyWhenThePreviousCompleted() {
        List<String> started = new ArrayList<>();
        CompletableFuture<Void> firstSend = new CompletableFuture<>();
        CompletableFuture<Void> secondSend = new CompletableFuture<>();

        CompletableFuture<Void> first = sender.submit(() -> {
            started.add("first");
            return firstSend;
        });
        CompletableFuture<Void> second = sender.submit(() -> {
            started.add("second");
            return secondSend;
        });

        assertThat(started).containsExactly("first");
        assertThat(sender.queued()).isEqualTo(1);
        firstSend.complete(null);
        assertThat(first).isCompleted();
        assertThat(started).containsExactly("first", "second");
        assertThat(second).isNotDone();
        secondSend.complete(null);
        assertThat(second).isCompleted();
    }

    @Test
    void aFailedOperationFailsItsFutureAndDoesNotBlockTheNext() {
        CompletableFuture<Void> failing = new CompletableFuture<>();
        CompletableFuture<Void> first = sender.submit(() -> failing);
        CompletableFuture<Void> second = sender.submit(() -> CompletableFuture.completedFuture(null));
        CompletableFuture<Void> third = sender.submit(() -> {
            throw new IllegalStateException("boom");
        });

        failing.completeExceptionally(new java.io.IOException("Output closed"));

        assertThatThrownBy(first::join).hasCauseInstanceOf(java.io.IOException.class);
        assertThat(second).isCompleted();
        assertThatThrownBy(third::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
    }

    @Test
    void manyOperationsThatCompleteAtOnceDoNotOverflowTheStack() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        sender.submit(() -> gate);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            queued.add(sender.submit(() -> CompletableFuture.failedFuture(new java.io.IOException("closed"))));
        }

        gate.complete(null);

        assertThat(queued).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThat(sender.queued()).isZero();
    }

    @Test
    void concurrentSubmittersNeverOverlapAndEveryOperationRuns() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> ran = new ConcurrentLinkedQueue<>();
        // Completes sends on other threads, like the WebSocket does.
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Void>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    int n = base + i;
                    results.add(sender.submit(() -> {
                        if (inFlight.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        ran.add(n);
                        return CompletableFuture.runAsync(inFlight::decrementAndGet);
                    }));
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

        assertThat(overlaps.get()).isZero();
        assertThat(ran).hasSize(4000).doesNotHaveDuplicates();
    }

    @Test
    void operationsFromOneThreadRunInSubmissionOrder() {
        List<Integer> order = new ArrayList<>();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        sender.submit(() -> gate);
        for (int i = 0; i < 10; i++) {
            int n = i;
            sender.submit(() -> {
                order.add(n);
                return CompletableFuture.completedFuture(null);
            });
        }
        gate.complete(null);

        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
