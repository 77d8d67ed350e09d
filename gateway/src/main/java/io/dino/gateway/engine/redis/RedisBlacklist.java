package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Blacklist;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Redis engine's blacklist: a set of entries and a version counter, both in the {@code {blacklist}} slot
 * ({@link Keys#blacklist}, {@link Keys#blacklistVersion}), changed together by {@code blacklist.lua}. Nodes poll the
 * version (one GET) and read the set only when it moved.
 */
final class RedisBlacklist implements Blacklist {

    private static final Scripts CHANGE = Scripts.load("blacklist.lua");

    private final Keys keys;
    private final Connection connection;

    RedisBlacklist(Keys keys, Connection connection) {
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public Set<String> add(Collection<String> entries) {
        return change(entries, true);
    }

    @Override
    public Set<String> remove(Collection<String> entries) {
        return change(entries, false);
    }

    private Set<String> change(Collection<String> entries, boolean add) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        List<String> args = new ArrayList<>(entries.size() + 1);
        args.add(add ? "1" : "0");
        args.addAll(entries);
        List<Object> changed = RedisBroker.redis(() -> CHANGE.run(connection.sync(), ScriptOutputType.MULTI,
                new String[]{keys.blacklist(), keys.blacklistVersion()}, args.toArray(String[]::new)));
        Set<String> result = new TreeSet<>();
        changed.forEach(entry -> result.add(entry.toString()));
        return Set.copyOf(result);
    }

    @Override
    public List<String> words() {
        return List.copyOf(new TreeSet<>(RedisBroker.redis(() -> connection.sync().smembers(keys.blacklist()))));
    }

    @Override
    public long version() {
        String version = RedisBroker.redis(() -> connection.sync().get(keys.blacklistVersion()));
        return version == null ? 0 : Long.parseLong(version);
    }
}
