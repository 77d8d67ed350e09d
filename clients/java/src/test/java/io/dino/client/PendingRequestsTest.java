package io.dino.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingRequestsTest {

    private final PendingRequests pending = new PendingRequests();

    @Test
    void idsStartAtOneAndIncrease() {
        assertThat(pending.register(null, "a").id()).isEqualTo(1);
        assertThat(pending.register(null, "b").id()).isEqualTo(2);
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void failAllFailsWaitingAndLaterRequests() {
        PendingRequests.Pending waiting = pending.register(null, "join");
        ConnectionClosedException closed = new ConnectionClosedException(new CloseStatus(5031, "shutting down"), null);

        pending.failAll(closed);
        PendingRequests.Pending late = pending.register(Duration.ofSeconds(30), "send");

        assertThatThrownBy(() -> waiting.reply().join()).cause().isSameAs(closed);
        assertThatThrownBy(() -> late.reply().join()).cause().isSameAs(closed);
        assertThat(closed.code()).isEqualTo(5031);
        assertThat(closed.name()).isEqualTo(ConnectionClosedException.NAME);
        assertThat(closed.closeStatus().reason()).isEqualTo("shutting down");
        assertThat(pending.size()).isZero();
    }

    @Test
    void failRemovesOnlyThatRequest() {
        PendingRequests.Pending first = pending.register(null, "a");
        PendingRequests.Pending second = pending.register(null, "b");

        pending.fail(first.id(), new IllegalStateException("send failed"));

        assertThat(first.reply()).isCompletedExceptionally();
        assertThat(second.reply()).isNotDone();
        assertThat(pending.take(second.id())).isSameAs(second.reply());
        assertThat(pending.take(second.id())).isNull();
    }

    @Test
    void answeredRequestDoesNotTimeOut() throws Exception {
        PendingRequests.Pending request = pending.register(Duration.ofMillis(20), "ping");
        pending.take(request.id()).complete(null);

        // Outlive the deadline by waiting on a second request with the same timeout.
        PendingRequests.Pending later = pending.register(Duration.ofMillis(40), "ping");
        assertThatThrownBy(() -> later.reply().join()).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);

        assertThat(request.reply().isCompletedExceptionally()).isFalse();
    }

    @Test
    void everyRequestRegisteredWhileClosingConcurrentlyEndsFailed() throws Exception {
        // Registration racing failAll must never leave a future that nothing will complete.
        for (int round = 0; round < 50; round++) {
            PendingRequests requests = new PendingRequests();
            ConcurrentLinkedQueue<PendingRequests.Pending> registered = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(go);
                    for (int i = 0; i < 200; i++) {
                        registered.add(requests.register(null, "x"));
                    }
                }));
            }
            go.countDown();
            requests.failAll(new IllegalStateException("closed"));
            for (Thread thread : threads) {
                thread.join();
            }

            Set<Integer> ids = new HashSet<>();
            for (PendingRequests.Pending p : registered) {
                ids.add(p.id());
                assertThat(p.reply()).isCompletedExceptionally();
            }
            assertThat(ids).hasSize(800);
            assertThat(requests.size()).isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
