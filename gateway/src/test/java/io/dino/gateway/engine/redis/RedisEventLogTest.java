package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.engine.EventLogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis engine's events stream passes the contract against a real redis-server, plus its entry format. */
class RedisEventLogTest extends EventLogContract {

    private static final AtomicInteger KEYS = new AtomicInteger();
    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("events");

    @Override
    protected EventLog newLog(long maxLength) {
        return log("events-" + KEYS.incrementAndGet(), maxLength, new AtomicInteger());
    }

    private static RedisEventLog log(String key, long maxLength, AtomicInteger lost) {
        return new RedisEventLog(key, maxLength, 10_000, Duration.ofSeconds(2),
                Connection.standalone(redis.client().connect()), () -> Connection.standalone(redis.client().connect()),
                lost::addAndGet);
    }

    @Test
    void anEntryHasTheTypeTheRoomAndTheEventAsProto3Json() {
        String key = "events-format-" + KEYS.incrementAndGet();
        try (RedisEventLog log = log(key, 100, new AtomicInteger())) {
            log.append("node-a", event("lobby", 7));
            var direct = redis.direct();
            await().atMost(TIMEOUT).until(() -> direct.xlen(key) == 1);
            Map<String, String> fields = direct.xrange(key, io.lettuce.core.Range.create("-", "+")).getFirst().getBody();
            assertThat(fields).containsOnlyKeys("type", "room", "event");
            assertThat(fields).containsEntry("type", "message").containsEntry("room", "lobby");
            assertThat(fields.get("event")).isEqualTo("{\"type\":\"MESSAGE\",\"timeMs\":1007,\"node\":\"node-a\","
                    + "\"room\":\"lobby\",\"user\":\"u7\",\"by\":\"\",\"data\":{\"n\":\"7\"}}");
        }
    }

    @Test
    void whileRedisRefusesWritesTheEventsAreDroppedAndCountedAndTheCallerIsNeverHeldUp() {
        String key = "events-down-" + KEYS.incrementAndGet();
        AtomicInteger lost = new AtomicInteger();
        try (RedisEventLog log = log(key, 100, lost)) {
            var direct = redis.direct();
            direct.set(key, "not a stream");  // every XADD to the key now fails (WRONGTYPE)
            long started = System.nanoTime();
            for (int n = 0; n < 100; n++) {
                assertThat(log.append("node-a", event("r", n))).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            await().atMost(TIMEOUT).until(() -> lost.get() == 100);
            direct.del(key);
            log.append("node-a", event("r", 100));
            await().atMost(TIMEOUT).until(() -> direct.xlen(key) == 1);
        }
    }
}
