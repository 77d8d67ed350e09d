package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the publication stored for each (log, idempotency key) for a window, so a retried
 * publish returns the first result instead of storing twice. Bounded in size: past the bound the
 * oldest keys are forgotten first, as they would expire first anyway.
 */
public final class IdempotencyCache {

    private final Duration window;
    private final int maxEntries;
    private final InstantSource clock;
    // guarded by this; insertion order is expiry order because the window is fixed
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    public IdempotencyCache(Duration window, int maxEntries, InstantSource clock) {
        this.window = window;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public synchronized Publication get(LogId log, String key) {
        evictExpired();
        Entry entry = entries.get(new Key(log, key));
        return entry == null ? null : entry.publication;
    }

    public synchronized void put(LogId log, String key, Publication publication) {
        evictExpired();
        entries.put(new Key(log, key), new Entry(publication, clock.millis() + window.toMillis()));
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void evictExpired() {
        long now = clock.millis();
        Iterator<Map.Entry<Key, Entry>> iterator = entries.entrySet().iterator();
        while (iterator.hasNext() && iterator.next().getValue().expiresAtMillis <= now) {
            iterator.remove();
        }
    }

    private record Key(LogId log, String key) {
    }

    private record Entry(Publication publication, long expiresAtMillis) {
    }
}
