package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Receipts;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Redis engine's receipts: one hash per log in the log's slot ({@link Keys#receipts}: user →
 * {@code epoch delivered read}), raised by {@code receipt.lua} so a mark is atomic and answers the marker before
 * and after. The hash expires with the log's idle lifetime after its last mark (see {@link Receipts}).
 */
final class RedisReceipts implements Receipts {

    private static final Scripts MARK = Scripts.load("receipt.lua");

    private final Keys keys;
    private final Connection connection;
    private final long lifetimeMillis;

    RedisReceipts(Keys keys, Connection connection, Duration lifetime) {
        this.keys = keys;
        this.connection = connection;
        this.lifetimeMillis = lifetime.toMillis();
    }

    @Override
    public Change mark(LogId log, String user, Kind kind, String epoch, long offset) {
        List<Object> reply = RedisBroker.redis(() -> MARK.run(connection.sync(), ScriptOutputType.MULTI,
                new String[]{keys.receipts(log)}, user, epoch, Long.toString(offset), kind == Kind.READ ? "1" : "0",
                Long.toString(lifetimeMillis)));
        return new Change(decode((String) reply.get(0)), decode((String) reply.get(1)));
    }

    @Override
    public Marker marker(LogId log, String user) {
        return decode(RedisBroker.redis(() -> connection.sync().hget(keys.receipts(log), user)));
    }

    @Override
    public Map<String, Marker> markers(LogId log) {
        Map<String, Marker> markers = new TreeMap<>();
        RedisBroker.redis(() -> connection.sync().hgetall(keys.receipts(log)))
                .forEach((user, stored) -> markers.put(user, decode(stored)));
        return markers;
    }

    /** {@code epoch delivered read}; null, empty or a shape this version does not know: no marker. */
    static Marker decode(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Marker.NONE;
        }
        String[] parts = stored.split(" ", -1);
        if (parts.length != 3) {
            return Marker.NONE;
        }
        try {
            return new Marker(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return Marker.NONE;
        }
    }
}
