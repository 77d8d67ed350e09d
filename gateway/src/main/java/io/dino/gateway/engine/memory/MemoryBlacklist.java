package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Blacklist;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/** The memory engine's blacklist: a sorted set and a version, changed under one lock (one node: nothing to share). */
public final class MemoryBlacklist implements Blacklist {

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<String> entries = new TreeSet<>();  // guarded by lock
    private volatile long version;  // written under lock

    @Override
    public Set<String> add(Collection<String> added) {
        return change(added, true);
    }

    @Override
    public Set<String> remove(Collection<String> removed) {
        return change(removed, false);
    }

    private Set<String> change(Collection<String> given, boolean add) {
        lock.lock();
        try {
            Set<String> changed = new LinkedHashSet<>();
            for (String entry : given) {
                if (add ? entries.add(entry) : entries.remove(entry)) {
                    changed.add(entry);
                }
            }
            if (!changed.isEmpty()) {
                version++;
            }
            return Set.copyOf(changed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> words() {
        lock.lock();
        try {
            return List.copyOf(entries);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long version() {
        return version;
    }
}
