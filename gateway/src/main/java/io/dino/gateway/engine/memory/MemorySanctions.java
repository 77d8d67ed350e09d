package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Sanctions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The single-node engine's bans and mutes: per kind and target, user → sanction (sorted). */
public final class MemorySanctions implements Sanctions {

    /** Bans of a user in order of scope, then target. */
    static final Comparator<Sanction> BY_TARGET = Comparator.comparing((Sanction s) -> s.target().scope())
            .thenComparing(s -> s.target().id());

    private record Key(Kind kind, Target target) {
    }

    private final Map<Key, ConcurrentSkipListMap<String, Sanction>> byTarget = new ConcurrentHashMap<>();

    @Override
    public void put(Sanction sanction) {
        Key key = new Key(sanction.kind(), sanction.target());
        byTarget.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>()).put(sanction.user(), sanction);
        prune(key, sanction.at());
    }

    @Override
    public boolean remove(Kind kind, Target target, String user, long nowMs) {
        Map<String, Sanction> held = byTarget.get(new Key(kind, target));
        if (held == null) {
            return false;
        }
        Sanction removed = held.remove(user);
        return removed != null && removed.activeAt(nowMs);
    }

    @Override
    public List<Sanction> list(Kind kind, Target target, long nowMs) {
        Key key = new Key(kind, target);
        prune(key, nowMs);
        Map<String, Sanction> held = byTarget.get(key);
        return held == null ? List.of() : List.copyOf(held.values());
    }

    @Override
    public Optional<Sanction> find(Kind kind, Target target, String user, long nowMs) {
        Map<String, Sanction> held = byTarget.get(new Key(kind, target));
        return Optional.ofNullable(held == null ? null : held.get(user)).filter(s -> s.activeAt(nowMs));
    }

    @Override
    public List<Sanction> bansOf(String user, long nowMs) {
        List<Sanction> bans = new ArrayList<>();
        byTarget.forEach((key, held) -> {
            Sanction ban = key.kind() == Kind.BAN ? held.get(user) : null;
            if (ban != null && ban.activeAt(nowMs)) {
                bans.add(ban);
            }
        });
        bans.sort(BY_TARGET);
        return bans;
    }

    @Override
    public void clear(Collection<Target> targets) {
        for (Target target : targets) {
            for (Kind kind : Kind.values()) {
                byTarget.remove(new Key(kind, target));
            }
        }
    }

    private void prune(Key key, long nowMs) {
        Map<String, Sanction> held = byTarget.get(key);
        if (held != null) {
            held.values().removeIf(s -> !s.activeAt(nowMs));
        }
    }
}
