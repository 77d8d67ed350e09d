package io.dino.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import io.dino.client.DinoClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Opens and authenticates many connections at a bounded rate, and closes them again. All connections share
 * one HttpClient running on a small fixed pool of daemon threads, so the generator's thread count does not grow
 * with the number of connections.
 */
final class Connector implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    // Every attempt ends within CONNECT_TIMEOUT + REQUEST_TIMEOUT; this is a last resort on top.
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Outcome of {@link #connectAll}.
     *
     * @param clients        one slot per token, in token order; null where the connection failed
     * @param latencyMicros  time from starting the handshake to the connect reply, per successful connection
     */
    record Result(List<DinoClient> clients, int connected, int failed, Duration elapsed, Histogram latencyMicros,
                  Failures failures) {

        List<DinoClient> connectedClients() {
            return clients.stream().filter(Objects::nonNull).toList();
        }
    }

    private final URI url;
    private final ExecutorService executor;
    private final HttpClient http;

    Connector(URI url) {
        this(url, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** A connector whose HttpClient runs on {@code threads} executor threads (plus its own selector thread). */
    Connector(URI url, int threads) {
        this.url = url;
        this.executor = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("loadgen-io-", 0).factory());
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A builder for one more connection to the target, on the shared HttpClient; workloads add handlers. */
    DinoClient.Builder builder() {
        return DinoClient.builder(url).httpClient(http).connectTimeout(CONNECT_TIMEOUT).requestTimeout(REQUEST_TIMEOUT);
    }

    /**
     * Opens one connection per token, starting at most {@code ratePerSecond} per second, and waits until every
     * attempt has succeeded or failed. A null token counts as a failure without trying.
     *
     * @param builders the builder for connection {@code i} (e.g. {@code i -> builder().onEvent(...)})
     */
    Result connectAll(List<String> tokens, int ratePerSecond, IntFunction<DinoClient.Builder> builders)
            throws InterruptedException {
        int total = tokens.size();
        Failures failures = new Failures();
        Recorder latency = new Recorder(3);
        // Only for progress lines; the result is read from the futures themselves.
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<DinoClient>> attempts = new ArrayList<>(total);

        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long start = System.nanoTime();
        long nextLog = start + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < total; i++) {
            parkUntil(start + i * intervalNanos);
            if (System.nanoTime() >= nextLog) {
                nextLog += TimeUnit.SECONDS.toNanos(1);
                Log.info("started %d/%d connections: %d connected, %d failed", i, total, connected.get(), failed.get());
            }
            String token = tokens.get(i);
            if (token == null) {
                // Minting failed; the reason is already counted.
                failed.incrementAndGet();
                attempts.add(CompletableFuture.failedFuture(new IllegalStateException("no token")));
                continue;
            }
            long attemptStart = System.nanoTime();
            attempts.add(builders.apply(i).connect(token).whenComplete((client, error) -> {
                if (error != null) {
                    failures.add("connect", error);
                    failed.incrementAndGet();
                } else {
                    latency.recordValue(Math.max(0, (System.nanoTime() - attemptStart) / 1000));
                    connected.incrementAndGet();
                }
            }));
        }
        Log.info("started all %d connections; waiting for the last replies", total);
        waitFor(attempts, SETTLE_TIMEOUT, () -> Log.info("%d connected, %d failed of %d", connected.get(), failed.get(), total));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        List<DinoClient> clients = new ArrayList<>(total);
        int ok = 0;
        int unfinished = 0;
        for (CompletableFuture<DinoClient> attempt : attempts) {
            DinoClient client = null;
            if (!attempt.isDone()) {
                // Counted as failed; if it still succeeds, do not leave the connection open.
                unfinished++;
                attempt.thenAccept(DinoClient::close);
            } else if (!attempt.isCompletedExceptionally()) {
                client = attempt.join();
                ok++;
            }
            clients.add(client);
        }
        if (unfinished > 0) {
            Log.info("%d connection attempts did not finish within %s; counted as failed", unfinished, SETTLE_TIMEOUT);
        }
        return new Result(Collections.unmodifiableList(clients), ok, total - ok, elapsed, latency.getIntervalHistogram(), failures);
    }

    /** Closes the connections normally and waits (up to {@code timeout}) until they are closed. */
    void closeAll(List<DinoClient> clients, Duration timeout) throws InterruptedException {
        List<CompletableFuture<?>> closed = new ArrayList<>(clients.size());
        for (DinoClient client : clients) {
            client.close();
            closed.add(client.closeFuture());
        }
        AtomicInteger done = new AtomicInteger();
        closed.forEach(f -> f.whenComplete((s, e) -> done.incrementAndGet()));
        waitFor(closed, timeout, () -> Log.info("closed %d/%d connections", done.get(), clients.size()));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Waits for all futures, logging progress every second, until done or {@code timeout} passed. */
    private static void waitFor(List<? extends CompletableFuture<?>> futures, Duration timeout, Runnable progress)
            throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!all.isDone() && System.nanoTime() < deadline) {
            try {
                all.get(Math.min(1_000_000_000L, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                progress.run();
            } catch (java.util.concurrent.ExecutionException e) {
                return; // all done, some failed: callers look at each future
            }
        }
    }

    private static void parkUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
