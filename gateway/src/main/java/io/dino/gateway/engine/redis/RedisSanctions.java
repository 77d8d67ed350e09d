package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.Sanctions;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis engine's bans and mutes. The truth is one hash per kind and target in the target's slot
 * ({@link Keys#sanctions}: user → {@code until\nat\nby\nreason}), changed by {@code sanctions.lua}, which prunes
 * expired entries on every write and list. Each user's bans are also indexed in the user's slot
 * ({@link Keys#userBans}) so {@link #bansOf} need not scan targets.
 *
 * <p>The two live in different slots, so the steps are ordered for the index to be a superset of the truth (as
 * {@link RedisRoles} does): a put adds the index entry first, a remove takes it away after, and puts it back if a
 * racing put stored the ban again meanwhile. {@link #bansOf} verifies every entry against the target's hash and
 * drops entries whose ban is gone or expired.
 */
final class RedisSanctions implements Sanctions {

    private static final Scripts SCRIPT = Scripts.load("sanctions.lua");
    private static final String SEPARATOR = "|";
    private static final Comparator<Sanction> BY_TARGET = Comparator.comparing((Sanction s) -> s.target().scope())
            .thenComparing(s -> s.target().id());

    private final Keys keys;
    private final Connection connection;
    private final Duration timeout;

    RedisSanctions(Keys keys, Connection connection, Duration timeout) {
        this.keys = keys;
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    public void put(Sanction sanction) {
        if (sanction.kind() == Kind.BAN) {
            RedisBroker.redis(() -> connection.sync().sadd(keys.userBans(sanction.user()), indexEntry(sanction.target())));
        }
        RedisBroker.redis(() -> SCRIPT.run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.sanctions(sanction.kind(), sanction.target())}, Long.toString(sanction.at()), "put",
                sanction.user(), encode(sanction)));
    }

    @Override
    public boolean remove(Kind kind, Target target, String user, long nowMs) {
        String key = keys.sanctions(kind, target);
        Long removed = RedisBroker.redis(() -> SCRIPT.run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{key}, Long.toString(nowMs), "remove", user));
        if (kind == Kind.BAN) {
            String entry = indexEntry(target);
            RedisBroker.redis(() -> connection.sync().srem(keys.userBans(user), entry));
            // a put racing with this one may have stored the ban again before the entry went
            if (RedisBroker.redis(() -> connection.sync().hexists(key, user))) {
                RedisBroker.redis(() -> connection.sync().sadd(keys.userBans(user), entry));
            }
        }
        return removed == 1;
    }

    @Override
    public List<Sanction> list(Kind kind, Target target, long nowMs) {
        List<Object> flat = RedisBroker.redis(() -> SCRIPT.run(connection.sync(), ScriptOutputType.MULTI,
                new String[]{keys.sanctions(kind, target)}, Long.toString(nowMs), "list"));
        List<Sanction> sanctions = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            Sanction sanction = decode(kind, target, (String) flat.get(i), (String) flat.get(i + 1));
            if (sanction != null) {
                sanctions.add(sanction);
            }
        }
        sanctions.sort(Comparator.comparing(Sanction::user));
        return sanctions;
    }

    @Override
    public Optional<Sanction> find(Kind kind, Target target, String user, long nowMs) {
        String value = RedisBroker.redis(() -> connection.sync().hget(keys.sanctions(kind, target), user));
        return Optional.ofNullable(value == null ? null : decode(kind, target, user, value)).filter(s -> s.activeAt(nowMs));
    }

    /** Two pipelined rounds: the user's index (one SMEMBERS), then one HGET per indexed target. */
    @Override
    public List<Sanction> bansOf(String user, long nowMs) {
        Map<Target, RedisFuture<String>> reads = new LinkedHashMap<>();
        List<String> stale = new ArrayList<>();
        for (String entry : RedisBroker.redis(() -> connection.sync().smembers(keys.userBans(user)))) {
            Target target = targetOf(entry);
            if (target == null) {
                continue;
            }
            reads.put(target, RedisBroker.redis(() -> connection.async().hget(keys.sanctions(Kind.BAN, target), user)));
        }
        List<Sanction> bans = new ArrayList<>();
        reads.forEach((target, read) -> {
            String value = await(read);
            Sanction ban = value == null ? null : decode(Kind.BAN, target, user, value);
            if (ban != null && ban.activeAt(nowMs)) {
                bans.add(ban);
            } else if (value == null) {
                stale.add(indexEntry(target));
            }
        });
        if (!stale.isEmpty()) {
            RedisBroker.redis(() -> connection.sync().srem(keys.userBans(user), stale.toArray(String[]::new)));
        }
        bans.sort(BY_TARGET);
        return bans;
    }

    @Override
    public void clear(Collection<Target> targets) {
        for (Target target : targets) {
            for (Kind kind : Kind.values()) {
                RedisBroker.redis(() -> connection.sync().del(keys.sanctions(kind, target)));
            }
        }
    }

    private static String encode(Sanction sanction) {
        return sanction.until() + "\n" + sanction.at() + "\n" + sanction.by() + "\n" + sanction.reason();
    }

    /** Null for a value of a shape this version does not know. */
    private static Sanction decode(Kind kind, Target target, String user, String value) {
        String[] parts = value.split("\n", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Sanction(kind, target, user, parts[2], parts[3], Long.parseLong(parts[1]), Long.parseLong(parts[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code room|lobby}, {@code channel|games}, {@code global|}. */
    private static String indexEntry(Target target) {
        return target.scopeName() + SEPARATOR + target.id();
    }

    private static Target targetOf(String entry) {
        int bar = entry.indexOf(SEPARATOR);
        if (bar < 0) {
            return null;
        }
        String id = entry.substring(bar + 1);
        return switch (entry.substring(0, bar)) {
            case "room" -> Target.room(id);
            case "channel" -> Target.channel(id);
            case "global" -> Target.GLOBAL;
            default -> null;
        };
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while reading bans from Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailableException("Redis: reading bans failed: " + e.getMessage(), e);
        }
    }
}
