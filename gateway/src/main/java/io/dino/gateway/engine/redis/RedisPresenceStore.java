package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.UserPresence;
import io.dino.gateway.engine.UserStatus;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Presence shared by the cluster. Per room (and per bucket of users for "online", see
 * {@link Keys#onlineBucket}): a hash of sessions (node/session →
 * user) and a hash of users (user → number of sessions); one script updates both, so "first session in"
 * and "last session out" are decided once, whichever node asks. Each node also records its own entries
 * in Redis, so that when it dies another node can remove them ({@link NodeRegistry}), and in memory, so
 * it can put them back if the cluster wrongly took it for dead.
 *
 * <p>Statuses and last-online times live in the user's online bucket too ({@link Keys#onlineStatus},
 * {@link Keys#lastOnline}), so the script that removes a user's last session also forgets the status and
 * records the time, atomically, on a node's own disconnect and on a dead node's cleanup alike.
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final String ONLINE = "o";
    private static final String ROOM = "r";

    private final String node;
    private final Keys keys;
    private final Connection connection;
    private final Duration commandTimeout;
    private final InstantSource clock;
    private final Scripts presence = Scripts.load("presence.lua");
    private final Scripts status = Scripts.load("status.lua");
    private final Scripts hiddenScript = Scripts.load("hidden.lua");
    private final Set<String> ownEntries = ConcurrentHashMap.newKeySet();

    RedisPresenceStore(String node, Keys keys, Connection connection, Duration commandTimeout, InstantSource clock) {
        this.node = node;
        this.clock = clock;
        this.keys = keys;
        this.connection = connection;
        this.commandTimeout = commandTimeout;
    }

    @Override
    public boolean connect(SessionRef session) {
        return change(Entry.online(session), true);
    }

    @Override
    public boolean disconnect(SessionRef session) {
        return change(Entry.online(session), false);
    }

    @Override
    public boolean join(String room, SessionRef session) {
        return change(Entry.room(room, session), true);
    }

    @Override
    public boolean leave(String room, SessionRef session) {
        return change(Entry.room(room, session), false);
    }

    @Override
    public List<String> members(String room) {
        return RedisBroker.redis(() -> sync().hkeys(keys.roomUsers(room))).stream().sorted().toList();
    }

    /** One HKEYS per room (each its own slot), pipelined: one round trip, also on Redis Cluster. */
    @Override
    public Map<String, List<String>> membersOfRooms(Collection<String> rooms) {
        Map<String, RedisFuture<List<String>>> sent = new java.util.LinkedHashMap<>();
        for (String room : rooms) {
            if (!sent.containsKey(room)) {
                sent.put(room, RedisBroker.redis(() -> connection.async().hkeys(keys.roomUsers(room))));
            }
        }
        Map<String, List<String>> byRoom = new java.util.LinkedHashMap<>();
        sent.forEach((room, members) -> byRoom.put(room, await(members).stream().sorted().toList()));
        return byRoom;
    }

    /** One SMEMBERS of each user's room index (its own slot), pipelined: one round trip. */
    @Override
    public Map<String, List<String>> roomsOfUsers(Collection<String> users) {
        Map<String, RedisFuture<Set<String>>> sent = new java.util.LinkedHashMap<>();
        for (String user : users) {
            if (!sent.containsKey(user)) {
                sent.put(user, RedisBroker.redis(() -> connection.async().smembers(keys.userRooms(user))));
            }
        }
        Map<String, List<String>> byUser = new java.util.LinkedHashMap<>();
        sent.forEach((user, entries) -> byUser.put(user,
                await(entries).stream().map(Entry::roomOfIndexMember).distinct().sorted().toList()));
        return byUser;
    }

    @Override
    public boolean setHidden(String room, String user, boolean hidden) {
        Long changed = RedisBroker.redis(() -> hiddenScript.run(sync(), ScriptOutputType.INTEGER,
                new String[] {keys.roomUsers(room), keys.roomHidden(room)}, user, hidden ? "1" : "0"));
        return changed == 1;
    }

    /** Members and hidden members, pipelined (one slot): one round trip. */
    @Override
    public List<String> visibleMembers(String room) {
        RedisFuture<List<String>> members = RedisBroker.redis(() -> connection.async().hkeys(keys.roomUsers(room)));
        RedisFuture<Set<String>> hidden = RedisBroker.redis(() -> connection.async().smembers(keys.roomHidden(room)));
        Set<String> hiddenMembers = await(hidden);
        return await(members).stream().filter(user -> !hiddenMembers.contains(user)).sorted().toList();
    }

    /** Every bucket's users, read pipelined: one round trip. */
    @Override
    public List<String> onlineUsers() {
        List<RedisFuture<List<String>>> buckets = new ArrayList<>(Keys.ONLINE_BUCKETS);
        for (int bucket = 0; bucket < Keys.ONLINE_BUCKETS; bucket++) {
            int current = bucket;
            buckets.add(RedisBroker.redis(() -> connection.async().hkeys(keys.onlineUsers(current))));
        }
        List<String> online = new ArrayList<>();
        for (RedisFuture<List<String>> bucket : buckets) {
            online.addAll(await(bucket));
        }
        return online.stream().sorted().toList();
    }

    /** One HMGET per bucket the users fall in, pipelined: one round trip; the answer keeps the order asked. */
    @Override
    public List<String> online(Collection<String> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<String>> byBucket = new TreeMap<>();
        for (String user : users) {
            byBucket.computeIfAbsent(Keys.onlineBucket(user), bucket -> new ArrayList<>()).add(user);
        }
        List<RedisFuture<List<KeyValue<String, String>>>> sent = new ArrayList<>(byBucket.size());
        byBucket.forEach((bucket, inBucket) -> sent.add(RedisBroker.redis(() ->
                connection.async().hmget(keys.onlineUsers(bucket), inBucket.toArray(String[]::new)))));
        Set<String> online = new HashSet<>();
        for (RedisFuture<List<KeyValue<String, String>>> counts : sent) {
            for (KeyValue<String, String> count : await(counts)) {
                if (count.hasValue()) {
                    online.add(count.getKey());
                }
            }
        }
        return users.stream().filter(online::contains).toList();
    }

    @Override
    public boolean setStatus(String user, UserStatus newStatus) {
        if (newStatus == UserStatus.OFFLINE) {
            throw new IllegalArgumentException("offline is not a status one sets");
        }
        int bucket = Keys.onlineBucket(user);
        Long set = RedisBroker.redis(() -> status.run(sync(), ScriptOutputType.INTEGER,
                new String[] {keys.onlineUsers(bucket), keys.onlineStatus(bucket)}, user, newStatus.wireName()));
        return set == 1;
    }

    /** Three HMGETs (sessions, status, last-online) per bucket the users fall in, pipelined: one round trip. */
    @Override
    public List<UserPresence> presence(List<String> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<String>> byBucket = new TreeMap<>();
        for (String user : users) {
            List<String> inBucket = byBucket.computeIfAbsent(Keys.onlineBucket(user), bucket -> new ArrayList<>());
            if (!inBucket.contains(user)) {
                inBucket.add(user);
            }
        }
        List<List<RedisFuture<List<KeyValue<String, String>>>>> sent = new ArrayList<>(byBucket.size());
        byBucket.forEach((bucket, inBucket) -> {
            String[] fields = inBucket.toArray(String[]::new);
            sent.add(List.of(
                    RedisBroker.redis(() -> connection.async().hmget(keys.onlineUsers(bucket), fields)),
                    RedisBroker.redis(() -> connection.async().hmget(keys.onlineStatus(bucket), fields)),
                    RedisBroker.redis(() -> connection.async().hmget(keys.lastOnline(bucket), fields))));
        });
        Map<String, UserPresence> known = new java.util.HashMap<>();
        for (List<RedisFuture<List<KeyValue<String, String>>>> bucket : sent) {
            List<KeyValue<String, String>> sessions = await(bucket.get(0));
            List<KeyValue<String, String>> statuses = await(bucket.get(1));
            List<KeyValue<String, String>> lasts = await(bucket.get(2));
            for (int i = 0; i < sessions.size(); i++) {
                String user = sessions.get(i).getKey();
                UserStatus userStatus = !sessions.get(i).hasValue() ? UserStatus.OFFLINE
                        : statuses.get(i).hasValue()
                                ? UserStatus.ofWireName(statuses.get(i).getValue()).orElse(UserStatus.ONLINE)
                                : UserStatus.ONLINE;
                OptionalLong last = lasts.get(i).hasValue() ? OptionalLong.of(Long.parseLong(lasts.get(i).getValue())) : OptionalLong.empty();
                known.put(user, new UserPresence(user, userStatus, last));
            }
        }
        return users.stream().map(known::get).toList();
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while reading presence from Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailableException("Redis: reading presence failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }

    /**
     * Puts this node's entries back after it was taken for dead (its peers were told its users left). Returns
     * the room entries that are their user's first session in the room again, so the node announces
     * {@code joined} for them: peers see the users come back the way they saw them go. An entry whose session
     * closed while this ran is taken out again, so a client that left meanwhile does not come back as a ghost.
     */
    List<Entry> reassert() {
        List<Entry> back = new ArrayList<>();
        for (String encoded : List.copyOf(ownEntries)) {
            Entry entry = Entry.decode(node, encoded);
            boolean first = run(entry, true);
            if (entry.room() != null) {
                RedisBroker.redis(() -> sync().sadd(keys.userRooms(entry.user()), entry.indexMember()));
            }
            RedisBroker.redis(() -> sync().sadd(keys.nodePresence(node), encoded));
            if (!ownEntries.contains(encoded)) {
                run(entry, false);
                if (entry.room() != null) {
                    RedisBroker.redis(() -> sync().srem(keys.userRooms(entry.user()), entry.indexMember()));
                }
                RedisBroker.redis(() -> sync().srem(keys.nodePresence(node), encoded));
            } else if (first && entry.room() != null) {
                back.add(entry);
            }
        }
        return back;
    }

    /**
     * Removes another (dead) node's entry: 0 when the user has other sessions there, 1 when it was the user's last
     * session, 2 when it was the last and the user was hidden in the room (an invisible user's leave).
     */
    long removeDeadEntry(String deadNode, String encoded) {
        Entry entry = Entry.decode(deadNode, encoded);
        RedisFuture<Long> unindexed = unindex(entry);
        long removed = runCounted(entry, false);
        if (unindexed != null) {
            await(unindexed);
        }
        return removed;
    }

    /**
     * The user-side index of a room entry ({@link Keys#userRooms}) lives in another slot than the room, so it is
     * changed next to the room's script, pipelined with it, not in it. An add is sent with the join; a removal with
     * the leave, the closing session's leaves and the cleanup of a dead node's or a failed change's leftover
     * entries, all before the node's own record of the entry ({@link Keys#nodePresence}) goes: if either write
     * fails, that record stays and the housekeeping that removes it removes the index member too. Both writes are
     * idempotent, so repeating a cleanup is safe.
     */
    private RedisFuture<Long> index(Entry entry) {
        return entry.room() == null ? null
                : RedisBroker.redis(() -> connection.async().sadd(keys.userRooms(entry.user()), entry.indexMember()));
    }

    private RedisFuture<Long> unindex(Entry entry) {
        return entry.room() == null ? null
                : RedisBroker.redis(() -> connection.async().srem(keys.userRooms(entry.user()), entry.indexMember()));
    }

    private boolean change(Entry entry, boolean add) {
        String encoded = entry.encode();
        if (add && entry.room() != null) {
            // as RedisRooms does: the node's record first, so that whatever of the change lands is covered by it
            claim(entry);
            try {
                RedisFuture<Long> recorded = RedisBroker.redis(() -> connection.async().sadd(keys.nodePresence(node), encoded));
                RedisFuture<Long> indexed = index(entry);
                boolean changed = run(entry, true);
                await(recorded);
                await(indexed);
                return changed;
            } catch (RuntimeException e) {
                release(encoded);
                throw e;
            }
        }
        if (add) {
            boolean changed = run(entry, add);
            ownEntries.add(encoded);
            RedisBroker.redis(() -> sync().sadd(keys.nodePresence(node), encoded));
            return changed;
        }
        // the session is gone whatever Redis says; if this fails, the heartbeat removes the leftover entry
        ownEntries.remove(encoded);
        RedisFuture<Long> unindexed = unindex(entry);
        boolean changed = run(entry, false);
        if (unindexed != null) {
            await(unindexed);
        }
        RedisBroker.redis(() -> sync().srem(keys.nodePresence(node), encoded));
        return changed;
    }

    /**
     * Records an entry as this node's before Redis has it (a join in one step, see {@link RedisRooms}), so that
     * housekeeping never takes it for a leftover; returns it encoded.
     */
    String claim(Entry entry) {
        String encoded = entry.encode();
        ownEntries.add(encoded);
        return encoded;
    }

    /** Gives up a claimed entry whose change failed: whatever of it Redis kept is removed as a leftover. */
    void release(String encoded) {
        ownEntries.remove(encoded);
    }

    /** Entries Redis lists for this node that no session of it holds any more (a removal failed during an outage). */
    Set<String> leftoverEntries() {
        Set<String> leftovers = new java.util.HashSet<>(RedisBroker.redis(() -> sync().smembers(keys.nodePresence(node))));
        leftovers.removeAll(ownEntries);
        return leftovers;
    }

    private boolean run(Entry entry, boolean add) {
        return runCounted(entry, add) != 0;
    }

    private long runCounted(Entry entry, boolean add) {
        int bucket = Keys.onlineBucket(entry.user());
        String[] presenceKeys = entry.room() == null
                ? new String[] {keys.onlineSessions(bucket), keys.onlineUsers(bucket), keys.onlineStatus(bucket), keys.lastOnline(bucket)}
                : new String[] {keys.roomSessions(entry.room()), keys.roomUsers(entry.room()), keys.roomHidden(entry.room())};
        String now = Long.toString(clock.millis());
        Long changed = RedisBroker.redis(() -> presence.run(sync(), ScriptOutputType.INTEGER, presenceKeys,
                entry.node() + "/" + entry.session(), entry.user(), add ? "1" : "0", now));
        return changed;
    }

    private RedisClusterCommands<String, String> sync() {
        return connection.sync();
    }

    /** One presence entry; encoded with newlines, which no room, session or user id contains. */
    record Entry(String node, String room, String session, String user) {

        static Entry online(SessionRef session) {
            return new Entry(session.node(), null, session.session(), session.user());
        }

        static Entry room(String room, SessionRef session) {
            return new Entry(session.node(), room, session.session(), session.user());
        }

        String encode() {
            return room == null ? ONLINE + '\n' + session + '\n' + user : ROOM + '\n' + room + '\n' + session + '\n' + user;
        }

        /** This room entry's member in the user's room index: room, newline, node/session. */
        String indexMember() {
            return room + '\n' + node + '/' + session;
        }

        static String roomOfIndexMember(String member) {
            return member.substring(0, member.indexOf('\n'));
        }

        static Entry decode(String node, String encoded) {
            String[] parts = encoded.split("\n", -1);
            return parts[0].equals(ONLINE)
                    ? new Entry(node, null, parts[1], parts[2])
                    : new Entry(node, parts[1], parts[2], parts[3]);
        }
    }
}
