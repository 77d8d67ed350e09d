package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Receipts;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node engine's receipts: per log, user → marker, and when the log's markers were last marked. The
 * markers of a log not marked for the idle lifetime are forgotten when next read or marked (as the Redis
 * engine's key expires), so markers of logs nobody uses any more cost memory only until someone looks.
 */
public final class MemoryReceipts implements Receipts {

    /** One log's markers; changed only inside {@code byLog.compute} for the log, read without locks. */
    private static final class LogMarkers {
        final Map<String, Marker> users = new ConcurrentHashMap<>();
        volatile long markedAt;
    }

    private final Map<LogId, LogMarkers> byLog = new ConcurrentHashMap<>();
    private final long lifetimeMillis;
    private final InstantSource clock;

    /** {@code lifetime}: how long a log's markers live after its last mark; zero: for ever. */
    public MemoryReceipts(Duration lifetime, InstantSource clock) {
        this.lifetimeMillis = lifetime.toMillis();
        this.clock = clock;
    }

    @Override
    public Change mark(LogId log, String user, Kind kind, String epoch, long offset) {
        Change[] change = new Change[1];
        long now = clock.millis();
        byLog.compute(log, (id, markers) -> {
            LogMarkers live = markers == null || expired(markers, now) ? new LogMarkers() : markers;
            Marker before = live.users.getOrDefault(user, Marker.NONE);
            Marker base = before.in(epoch);
            long read = kind == Kind.READ ? Math.max(base.read(), offset) : base.read();
            long delivered = Math.max(base.delivered(), Math.max(read, offset));
            Marker after = new Marker(epoch, delivered, read);
            live.users.put(user, after);
            live.markedAt = now;
            change[0] = new Change(before, after);
            return live;
        });
        return change[0];
    }

    @Override
    public Marker marker(LogId log, String user) {
        LogMarkers markers = live(log);
        return markers == null ? Marker.NONE : markers.users.getOrDefault(user, Marker.NONE);
    }

    @Override
    public Map<String, Marker> markers(LogId log) {
        LogMarkers markers = live(log);
        return markers == null ? Map.of() : new TreeMap<>(markers.users);
    }

    private LogMarkers live(LogId log) {
        LogMarkers markers = byLog.get(log);
        if (markers != null && expired(markers, clock.millis())) {
            byLog.remove(log, markers);
            return null;
        }
        return markers;
    }

    private boolean expired(LogMarkers markers, long now) {
        return lifetimeMillis > 0 && now - markers.markedAt >= lifetimeMillis;
    }
}
