package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer-group recipe of docs/events.md, run as written: a backend (lettuce here; any Redis client works)
 * reads the events stream the nodes append to with XGROUP CREATE / XREADGROUP / XACK / XAUTOCLAIM against a real
 * redis-server: each group sees every event once, consumers of one group share the events, and a consumer that
 * died with unacknowledged events gets them back when it restarts (or another claims them).
 */
class EventsConsumerGroupsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger KEYS = new AtomicInteger();
    @RegisterExtension
    static final RedisEngines store = RedisEngines.onServer("groups");

    private static RedisEventLog log(String key) {
        return new RedisEventLog(key, 1_000_000, 10_000, Duration.ofSeconds(2), Connection.standalone(store.client().connect()),
                () -> Connection.standalone(store.client().connect()), count -> {
                });
    }

    private static DomainEvent event(int n) {
        return new DomainEvent(EventType.MESSAGE, n, "room-" + (n % 3), "u", "", Map.of("n", Integer.toString(n)));
    }

    /** XREADGROUP GROUP group consumer COUNT count STREAMS key > (new entries for this consumer). */
    private static List<StreamMessage<String, String>> readNew(RedisCommands<String, String> redis, String key,
                                                               String group, String consumer, int count) {
        return redis.xreadgroup(Consumer.from(group, consumer), XReadArgs.Builder.count(count),
                XReadArgs.StreamOffset.lastConsumed(key));
    }

    /** XREADGROUP … STREAMS key 0: this consumer's own pending entries (delivered, not acknowledged). */
    private static List<StreamMessage<String, String>> readPending(RedisCommands<String, String> redis, String key,
                                                                   String group, String consumer) {
        return redis.xreadgroup(Consumer.from(group, consumer), XReadArgs.Builder.count(1_000),
                XReadArgs.StreamOffset.from(key, "0"));
    }

    private static List<String> ids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    @Test
    void eachGroupSeesEveryEventOnceSharedByItsConsumersAndARestartedConsumerGetsItsUnacknowledgedEventsBack() {
        String key = "events-groups-" + KEYS.incrementAndGet();
        RedisCommands<String, String> backend = store.client().connect().sync();
        // XGROUP CREATE key billing $ MKSTREAM, and a second group: both before the first event
        backend.xgroupCreate(XReadArgs.StreamOffset.latest(key), "billing", XGroupCreateArgs.Builder.mkstream());
        backend.xgroupCreate(XReadArgs.StreamOffset.latest(key), "analytics", XGroupCreateArgs.Builder.mkstream());
        try (RedisEventLog log = log(key)) {
            for (int n = 1; n <= 300; n++) {
                assertThat(log.append("node-a", event(n))).isTrue();
            }
            await().atMost(TIMEOUT).until(() -> backend.xlen(key) == 300);
            List<String> all = ids(backend.xrange(key, io.lettuce.core.Range.create("-", "+")));

            // billing: worker-1 and worker-2 take turns; worker-1 "dies" holding its second batch unacknowledged
            List<String> billing = new ArrayList<>();
            List<StreamMessage<String, String>> w1 = readNew(backend, key, "billing", "worker-1", 50);
            backend.xack(key, "billing", ids(w1).toArray(String[]::new));
            billing.addAll(ids(w1));
            List<StreamMessage<String, String>> w1Lost = readNew(backend, key, "billing", "worker-1", 50);
            assertThat(w1Lost).hasSize(50);  // delivered, never acknowledged: worker-1 crashes here
            while (true) {
                List<StreamMessage<String, String>> w2 = readNew(backend, key, "billing", "worker-2", 40);
                if (w2.isEmpty()) {
                    break;
                }
                backend.xack(key, "billing", ids(w2).toArray(String[]::new));
                billing.addAll(ids(w2));
            }
            // worker-1 restarts under its name: first its own pending entries (id 0), then new ones (>)
            List<StreamMessage<String, String>> recovered = readPending(backend, key, "billing", "worker-1");
            assertThat(ids(recovered)).containsExactlyElementsOf(ids(w1Lost));
            backend.xack(key, "billing", ids(recovered).toArray(String[]::new));
            billing.addAll(ids(recovered));
            assertThat(readPending(backend, key, "billing", "worker-1")).as("acknowledged: not delivered again").isEmpty();
            assertThat(readNew(backend, key, "billing", "worker-1", 50)).as("nothing new").isEmpty();

            assertThat(billing).as("every event once in the group").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(all);
            assertThat(backend.xpending(key, "billing").getCount()).isZero();

            // analytics, one consumer: every event once too, independently of billing's acknowledgements
            List<String> analytics = new ArrayList<>();
            while (true) {
                List<StreamMessage<String, String>> batch = readNew(backend, key, "analytics", "reader", 100);
                if (batch.isEmpty()) {
                    break;
                }
                backend.xack(key, "analytics", ids(batch).toArray(String[]::new));
                analytics.addAll(ids(batch));
            }
            assertThat(analytics).containsExactlyElementsOf(all);

            // events appended later reach both groups once more, after everything before
            log.append("node-b", event(301));
            await().atMost(TIMEOUT).until(() -> backend.xlen(key) == 301);
            assertThat(readNew(backend, key, "billing", "worker-2", 10)).extracting(m -> m.getBody().get("type"))
                    .containsExactly("message");
            assertThat(readNew(backend, key, "analytics", "reader", 10)).hasSize(1);
        }
    }

    @Test
    void anotherConsumerClaimsTheEventsOfAConsumerThatNeverComesBack() {
        String key = "events-claim-" + KEYS.incrementAndGet();
        RedisCommands<String, String> backend = store.client().connect().sync();
        backend.xgroupCreate(XReadArgs.StreamOffset.latest(key), "billing", XGroupCreateArgs.Builder.mkstream());
        try (RedisEventLog log = log(key)) {
            for (int n = 1; n <= 20; n++) {
                log.append("node-a", event(n));
            }
            await().atMost(TIMEOUT).until(() -> backend.xlen(key) == 20);
            List<String> taken = ids(readNew(backend, key, "billing", "worker-1", 20));
            assertThat(taken).hasSize(20);
            // worker-1 is gone for good: XAUTOCLAIM key billing worker-2 <min-idle> 0-0 COUNT 100 (min idle 0 here)
            var claimed = backend.xautoclaim(key, XAutoClaimArgs.Builder.xautoclaim(Consumer.from("billing", "worker-2"),
                    Duration.ZERO, "0-0").count(100));
            assertThat(ids(claimed.getMessages())).containsExactlyElementsOf(taken);
            backend.xack(key, "billing", taken.toArray(String[]::new));
            assertThat(backend.xpending(key, "billing").getCount()).isZero();
            Set<String> again = new HashSet<>(ids(readPending(backend, key, "billing", "worker-1")));
            assertThat(again).as("acknowledged by worker-2: worker-1 has nothing pending").isEmpty();
        }
    }

    @Test
    void theEventFieldOfAnEntryIsWhatWatchersRead() {
        String key = "events-read-" + KEYS.incrementAndGet();
        try (RedisEventLog log = log(key); EventLog.Reader reader = log.reader()) {
            log.append("node-a", event(5));
            List<EventLog.Entry> entries = new ArrayList<>();
            await().atMost(TIMEOUT).until(() -> {
                entries.addAll(reader.read(EventLog.ORIGIN, 10, Duration.ofMillis(100)).entries());
                return !entries.isEmpty();
            });
            assertThat(entries.getFirst().event()).isEqualTo(event(5));
            assertThat(entries.getFirst().node()).isEqualTo("node-a");
        }
    }
}
