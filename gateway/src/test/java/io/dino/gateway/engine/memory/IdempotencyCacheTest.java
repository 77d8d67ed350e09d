package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final LogId room = LogId.room("r");

    @Test
    void keysAreForgottenAfterTheWindow() {
        IdempotencyCache cache = new IdempotencyCache(Duration.ofSeconds(10), 100, clock);
        Publication publication = publication("a");
        cache.put(room, "k", publication);

        now.addAndGet(9_999);
        assertThat(cache.get(room, "k")).isEqualTo(publication);
        now.addAndGet(1);
        assertThat(cache.get(room, "k")).isNull();
    }

    @Test
    void theOldestKeysGoFirstWhenTheCacheIsFull() {
        IdempotencyCache cache = new IdempotencyCache(Duration.ofMinutes(10), 2, clock);
        cache.put(room, "k1", publication("1"));
        cache.put(room, "k2", publication("2"));
        cache.put(room, "k3", publication("3"));

        assertThat(cache.get(room, "k1")).isNull();
        assertThat(cache.get(room, "k2")).isNotNull();
        assertThat(cache.get(room, "k3")).isNotNull();
        assertThat(cache.get(LogId.room("other"), "k3")).isNull();
    }

    private static Publication publication(String id) {
        return new Publication(id, LogId.room("r"), "s", 1, new Position("e", 1), "1");
    }
}
