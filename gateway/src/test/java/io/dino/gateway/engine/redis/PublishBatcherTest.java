package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Concurrent publishes stored in batches: one round trip for all of them, each caller with its own answer. */
class PublishBatcherTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        direct = client.connect().sync();
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    private static RedisSettings settings(String uri, String prefix) {
        return new RedisSettings(uri, prefix, Duration.ofSeconds(2), 10_000, Duration.ZERO, Duration.ofMinutes(5), 10_000,
                Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /** A batcher of its own on a connection that flushes by hand, as the engine makes it. */
    private static PublishBatcher batcher(String prefix, StatefulRedisConnection<String, String> connection) {
        Connection byHand = Connection.standalone(connection);
        byHand.flushByHand();
        return new PublishBatcher("t", new Keys(prefix), byHand, settings(redis.uri(), prefix), InstantSource.system());
    }

    private static Draft draft(String id, String body, String idempotencyKey) {
        return new Draft(id, "backend", System.currentTimeMillis(), body, idempotencyKey);
    }

    @Test
    void manyConcurrentPublishesToOneLogAreStoredWithConsecutiveOffsetsAndEachCallerGetsItsOwn() throws Exception {
        String prefix = "c" + PREFIXES.incrementAndGet();
        LogId room = LogId.room("busy");
        int callers = 64;
        int each = 40;
        try (Engine engine = RedisEngine.start("n1", settings(redis.uri(), prefix), InstantSource.system());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            RecordingListener listener = new RecordingListener();
            engine.broker().start(listener);
            engine.broker().subscribe(room);
            Map<String, Publication> answers = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String id = caller + "-" + i;
                        Publication answer = engine.broker().publish(room, draft(id, "\"" + id + "\"", ""));
                        assertThat(answer.id()).isEqualTo(id);
                        assertThat(answer.bodyJson()).isEqualTo("\"" + id + "\"");
                        answers.put(id, answer);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            int total = callers * each;
            assertThat(answers.values().stream().map(p -> p.position().offset()).sorted().toList())
                    .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
            // what each caller was told is what the log holds at that offset
            List<Publication> stored = engine.broker().after(room, 0, total);
            assertThat(stored).hasSize(total);
            for (Publication publication : stored) {
                assertThat(answers.get(publication.id())).isEqualTo(publication);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.offsetsOf(room).size() == total);
            assertThat(listener.offsetsOf(room)).isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    @Test
    void anIdempotentRetryInTheSameBatchIsAnsweredWithTheFirstPublication() throws Exception {
        String prefix = "i" + PREFIXES.incrementAndGet();
        LogId room = LogId.room("retry");
        try (StatefulRedisConnection<String, String> connection = client.connect();
             PublishBatcher batcher = batcher(prefix, connection)) {
            // submitted together, so they go in one batch and one script call
            List<CompletableFuture<Publication>> answers = batcher.submit(List.of(room, room, room, room),
                    List.of(draft("a", "1", "k1"), draft("b", "2", "k1"), draft("c", "3", ""), draft("d", "4", "k2")));

            Publication first = answers.get(0).get(5, TimeUnit.SECONDS);
            assertThat(first.position().offset()).isEqualTo(1);
            assertThat(answers.get(1).get(5, TimeUnit.SECONDS)).as("the retry").isEqualTo(first);
            assertThat(answers.get(2).get(5, TimeUnit.SECONDS).position()).isEqualTo(new Position(first.position().epoch(), 2));
            assertThat(answers.get(3).get(5, TimeUnit.SECONDS).position()).isEqualTo(new Position(first.position().epoch(), 3));
            assertThat(direct.xlen(new Keys(prefix).log(room))).as("the retry stored nothing").isEqualTo(3);
        }
    }

    @Test
    void aPublicationThatFailsInABatchFailsOnlyItsOwnCaller() throws Exception {
        String prefix = "f" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(prefix);
        LogId good = LogId.room("good");
        LogId broken = LogId.room("broken");
        direct.set(keys.meta(broken), "not a hash");               // the whole log is in a bad state
        direct.hset(keys.idempotency(good, "odd"), "not", "a string");  // one publication's idempotency key is
        try (StatefulRedisConnection<String, String> connection = client.connect();
             PublishBatcher batcher = batcher(prefix, connection)) {
            List<CompletableFuture<Publication>> answers = batcher.submit(List.of(good, broken, good, good),
                    List.of(draft("a", "1", ""), draft("b", "2", ""), draft("c", "3", "odd"), draft("d", "4", "")));

            assertThat(answers.get(0).get(5, TimeUnit.SECONDS).position().offset()).isEqualTo(1);
            assertThatThrownBy(() -> answers.get(1).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("WRONGTYPE");
            assertThatThrownBy(() -> answers.get(2).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("WRONGTYPE");
            assertThat(answers.get(3).get(5, TimeUnit.SECONDS).position().offset()).as("offsets stay contiguous").isEqualTo(2);
        }
    }

    @Test
    void aLogWhoseStreamCannotTakeTheEntryFailsItsCallersAndKeepsItsTop() throws Exception {
        String prefix = "s" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(prefix);
        LogId room = LogId.room("stuck");
        direct.hset(keys.meta(room), Map.of("epoch", "e1", "top", "4"));
        direct.set(keys.log(room), "not a stream");
        try (StatefulRedisConnection<String, String> connection = client.connect();
             PublishBatcher batcher = batcher(prefix, connection)) {
            List<CompletableFuture<Publication>> answers = batcher.submit(List.of(room, room), List.of(draft("a", "1", ""), draft("b", "2", "")));

            for (CompletableFuture<Publication> answer : answers) {
                assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineUnavailableException.class);
            }
            assertThat(direct.hget(keys.meta(room), "top")).isEqualTo("4");
        }
    }

    @Test
    void withRedisUnavailableEveryCallerOfTheBatchGetsUnavailableAndPublishingResumesAfterwards() throws Exception {
        try (RedisServer own = RedisServer.start();
             Engine engine = RedisEngine.start("n1", settings(own.uri(), "u"), InstantSource.system());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            engine.broker().start(new RecordingListener());
            engine.broker().publish(LogId.room("r0"), draft("before", "0", ""));
            own.kill();

            SequencedMap<LogId, Draft> several = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                several.put(LogId.room("r" + i), draft("m" + i, Integer.toString(i), ""));
            }
            List<Future<?>> calls = new ArrayList<>();
            calls.add(threads.submit(() -> engine.broker().publishEach(several)));
            for (int i = 0; i < 16; i++) {
                int n = i;
                calls.add(threads.submit(() -> engine.broker().publish(LogId.room("r" + (n % 3)), draft("c" + n, "1", "k" + n))));
            }
            for (Future<?> call : calls) {
                assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EngineUnavailableException.class);
            }

            own.restart();  // without persistence: empty, and without the script
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                    engine.broker().publish(LogId.room("r0"), draft("after", "1", "")).position().offset() == 1);
        }
    }

}
