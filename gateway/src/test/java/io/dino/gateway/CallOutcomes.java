package io.dino.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs many gRPC calls, from any number of threads, and keeps the ones that did not end as expected,
 * so a test can report how many of how many calls went wrong instead of stopping at the first.
 */
public final class CallOutcomes {

    /** A broken connection can fail thousands of calls: report how many, but show only the first few. */
    private static final int SHOWN_FAILURES = 20;

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    /** Runs a call that must succeed. */
    public void expectOk(String what, Runnable call) {
        calls.incrementAndGet();
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            fail(what + ": " + e.getStatus());
        }
    }

    /** Runs a call that must fail with {@code code} and a description that contains {@code description}. */
    public void expectStatus(String what, Status.Code code, String description, Runnable call) {
        calls.incrementAndGet();
        try {
            call.run();
            fail(what + ": succeeded");
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() != code || status.getDescription() == null || !status.getDescription().contains(description)) {
                fail(what + ": " + status);
            }
        }
    }

    /** Starts {@code threads} callers that repeat a call that must succeed until the returned handle is closed. */
    public Callers keepCalling(int threads, String what, Runnable call) {
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> callers = IntStream.range(0, threads).mapToObj(i -> Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                expectOk(what, call);
            }
        })).toList();
        return new Callers(done, callers);
    }

    public void assertAllAsExpected() {
        assertThat(failed.get()).as("%d of %d calls did not end as expected, first ones: %s",
                failed.get(), calls.get(), failures).isZero();
    }

    private void fail(String failure) {
        if (failed.getAndIncrement() < SHOWN_FAILURES) {
            failures.add(failure);
        }
    }

    /** Callers started by {@link #keepCalling}; closing stops them and waits until they did. */
    public record Callers(AtomicBoolean done, List<Thread> threads) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            done.set(true);
            for (Thread thread : threads) {
                assertThat(thread.join(TIMEOUT)).as("a caller stopped").isTrue();
            }
        }
    }
}
