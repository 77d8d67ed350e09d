package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Retention;
import io.dino.gateway.engine.Tombstones;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Redis engine's tombstones: one hash per room in the room's slot ({@link Keys#tombstones}), changed by
 * {@code tombstones.lua} (which drops, at each write, what covers nothing the log still holds) and read with one
 * HGETALL, sent at once so that it shares the round trip of the page or recovery read that follows it.
 *
 * <p>With a max-age, each write gives the hash a lifetime of twice the logs' idle lifetime: every message a
 * tombstone covers was published before the write, so it has left the log by then (the log expires as a whole
 * after its idle lifetime, and a log that keeps receiving drops its expired head); the factor covers a head not
 * yet trimmed. Without a max-age the hash is kept, and bounded by the pruning at each write.
 */
final class RedisTombstones implements Tombstones {

    private static final Scripts CHANGE = Scripts.load("tombstones.lua");

    private final Keys keys;
    private final Connection connection;
    private final Duration timeout;
    private final String lifetime;

    RedisTombstones(Keys keys, Connection connection, RedisSettings settings) {
        this.keys = keys;
        this.connection = connection;
        this.timeout = settings.commandTimeout();
        this.lifetime = Long.toString(Retention.idleLifetime(settings.maxAge()).multipliedBy(2).toMillis());
    }

    @Override
    public Supplier<Deletions> read(String room) {
        RedisFuture<Map<String, String>> sent = RedisBroker.redis(() -> connection.async().hgetall(keys.tombstones(room)));
        return () -> parse(await(sent));
    }

    @Override
    public void deleteMessages(String room, Collection<Mark> marks) {
        List<String> args = new ArrayList<>(List.of("mark", lifetime));
        for (Mark mark : marks) {
            args.add("m:" + mark.id());
            args.add(mark.position().epoch() + " " + mark.position().offset() + " " + mark.sender());
        }
        run(room, ScriptOutputType.INTEGER, args);
    }

    @Override
    public void deleteUserUpTo(String room, String user, Position upTo) {
        run(room, ScriptOutputType.INTEGER, List.of("cut", lifetime, "u:" + user, upTo.epoch(), Long.toString(upTo.offset())));
    }

    @Override
    public void deleteAllUpTo(String room, Position upTo) {
        run(room, ScriptOutputType.INTEGER, List.of("cut", lifetime, "all", upTo.epoch(), Long.toString(upTo.offset())));
    }

    @Override
    public List<String> restoreMessages(String room, Collection<String> ids) {
        List<String> args = new ArrayList<>(List.of("unmark", lifetime));
        ids.stream().distinct().forEach(args::add);
        List<Object> restored = run(room, ScriptOutputType.MULTI, args);
        return restored.stream().map(String.class::cast).toList();
    }

    @Override
    public boolean restoreUser(String room, String user) {
        Long removed = run(room, ScriptOutputType.INTEGER, List.of("unuser", lifetime, user));
        return removed > 0;
    }

    @Override
    public boolean restoreAll(String room) {
        Long removed = run(room, ScriptOutputType.INTEGER, List.of("clear", lifetime));
        return removed > 0;
    }

    private <T> T run(String room, ScriptOutputType type, List<String> args) {
        LogId log = LogId.room(room);
        String[] scriptKeys = {keys.tombstones(room), keys.meta(log), keys.log(log)};
        String[] values = args.toArray(String[]::new);
        RedisFuture<T> sent = RedisBroker.redis(() -> CHANGE.send(connection, type, scriptKeys, values));
        return CHANGE.await(sent, timeout, connection, type, scriptKeys, values);
    }

    private <T> T await(RedisFuture<T> sent) {
        try {
            return sent.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.dino.gateway.engine.EngineUnavailableException("interrupted while reading from Redis", e);
        } catch (Exception e) {
            throw new io.dino.gateway.engine.EngineUnavailableException("Redis read failed: " + e.getMessage(), e);
        }
    }

    /** The hash's fields as deletions; a field of a shape this version does not know is left out. */
    static Deletions parse(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return Deletions.NONE;
        }
        Map<String, Mark> messages = new HashMap<>();
        Map<String, Position> users = new HashMap<>();
        Position all = Position.EMPTY;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String[] parts = field.getValue().split(" ", 3);
            if (parts.length < 2 || !parts[1].chars().allMatch(Character::isDigit) || parts[1].isEmpty()) {
                continue;
            }
            Position position = new Position(parts[0], Long.parseLong(parts[1]));
            String name = field.getKey();
            if (name.startsWith("m:") && parts.length == 3) {
                messages.put(name.substring(2), new Mark(name.substring(2), parts[2], position));
            } else if (name.startsWith("u:")) {
                users.put(name.substring(2), position);
            } else if (name.equals("all")) {
                all = position;
            }
        }
        return new Deletions(messages, users, all);
    }
}
