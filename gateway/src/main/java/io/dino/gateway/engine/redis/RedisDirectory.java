package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.EngineUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis engine's directory. A room's record lives in the room's slot ({@code dino:{r:ID}:room}); a
 * channel's record, its rooms set, its name index (lowercased name → id) and the times names were claimed
 * live in the channel's slot ({@code dino:{c:ID}:…}); the created channels are listed in {@code dino:channels}.
 * Redis Cluster runs a script over one slot only, so a change that touches a room and its channel takes two
 * steps, ordered so that a crash between them leaves at most a <em>stale name claim</em>: a name index entry
 * whose room record is missing, or has another name. Reads ignore stale claims ({@link #roomNamed} checks the
 * record), and a create or rename may take a stale claim over once it is older than {@code claimGrace} — a
 * claim younger than that may belong to a create or rename still between its steps.
 *
 * <p>The rooms of each kind are indexed in a sorted set of their own ({@link Keys#roomsOfKind}, id scored by creation
 * time): a create adds the id before it writes the record, a removal drops it after deleting the record, so the
 * index is a superset of the rooms of the kind. {@link #roomsOfKind} reads the records of the indexed ids and skips
 * (and drops, once older than {@code claimGrace}) entries naming no room of that kind.
 */
final class RedisDirectory implements Directory {

    private static final Scripts CHANNEL = Scripts.load("channel.lua");
    private static final Scripts CHANNEL_REMOVE = Scripts.load("channel-remove.lua");
    private static final Scripts CLAIM = Scripts.load("name-claim.lua");
    private static final Scripts RELEASE = Scripts.load("name-release.lua");
    private static final Scripts ROOM = Scripts.load("room.lua");
    private static final Scripts KIND_PRUNE = Scripts.load("kind-prune.lua");

    private final Keys keys;
    private final Connection connection;
    private final Duration timeout;
    private final Duration claimGrace;

    RedisDirectory(Keys keys, Connection connection, Duration timeout, Duration claimGrace) {
        this.keys = keys;
        this.connection = connection;
        this.timeout = timeout;
        this.claimGrace = claimGrace;
    }

    @Override
    public Optional<ChannelRecord> channel(String id) {
        ChannelRecord channel = DirectoryCodec.channel(id, RedisBroker.redis(() -> connection.sync().hgetall(keys.channel(id))));
        if (channel == null && DEFAULT_CHANNEL.equals(id)) {
            return Optional.of(Directory.implicitDefault());
        }
        return Optional.ofNullable(channel);
    }

    @Override
    public List<ChannelRecord> channels() {
        List<String> ids = new ArrayList<>(RedisBroker.redis(() -> connection.sync().smembers(keys.channels())));
        ids.remove(DEFAULT_CHANNEL);
        ids.add(DEFAULT_CHANNEL);
        List<RedisFuture<Map<String, String>>> sent = ids.stream().map(id -> connection.async().hgetall(keys.channel(id))).toList();
        List<ChannelRecord> all = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            // an id listed without a record: a create or remove interrupted between its steps
            ChannelRecord channel = DirectoryCodec.channel(ids.get(i), await(sent.get(i)));
            if (channel != null) {
                all.add(channel);
            } else if (DEFAULT_CHANNEL.equals(ids.get(i))) {
                all.add(Directory.implicitDefault());
            }
        }
        all.sort(CHANNEL_ORDER);
        return List.copyOf(all);
    }

    /** Lists the id first, then writes the record: an interruption leaves a listed id without a record, which reads skip. */
    @Override
    public Outcome createChannel(ChannelRecord channel) {
        if (!DEFAULT_CHANNEL.equals(channel.id())) {
            RedisBroker.redis(() -> connection.sync().sadd(keys.channels(), channel.id()));
        }
        return writeChannel(channel, "create") == 1 ? Outcome.DONE : Outcome.TAKEN;
    }

    @Override
    public Outcome updateChannel(ChannelRecord channel) {
        // the default channel always exists: its first update stores it
        return writeChannel(channel, DEFAULT_CHANNEL.equals(channel.id()) ? "upsert" : "update") == 1
                ? Outcome.DONE : Outcome.NOT_FOUND;
    }

    private long writeChannel(ChannelRecord channel, String mode) {
        List<String> args = new ArrayList<>();
        args.add(mode);
        args.addAll(DirectoryCodec.channelFields(channel));
        return RedisBroker.redis(() -> CHANNEL.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.channel(channel.id())}, args.toArray(String[]::new)));
    }

    /** Removes the record (checking for rooms in the same script), then unlists the id. */
    @Override
    public Outcome removeChannel(String id) {
        if (DEFAULT_CHANNEL.equals(id)) {
            return Outcome.TAKEN;
        }
        long removed = RedisBroker.redis(() -> CHANNEL_REMOVE.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.channel(id), keys.channelRooms(id), keys.channelNames(id), keys.channelClaims(id)}));
        if (removed == 0) {
            return Outcome.TAKEN;
        }
        RedisBroker.redis(() -> connection.sync().srem(keys.channels(), id));
        return removed == 1 ? Outcome.DONE : Outcome.NOT_FOUND;
    }

    @Override
    public Optional<RoomRecord> room(String id) {
        return Optional.ofNullable(DirectoryCodec.room(id, RedisBroker.redis(() -> connection.sync().hgetall(keys.roomRecord(id)))));
    }

    /** One HGETALL per room, sent together (lettuce pipelines them; on a cluster they spread over the masters). */
    @Override
    public Map<String, RoomRecord> rooms(Collection<String> ids) {
        List<String> order = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<RedisFuture<Map<String, String>>> sent = order.stream().map(id -> connection.async().hgetall(keys.roomRecord(id))).toList();
        Map<String, RoomRecord> found = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            RoomRecord room = DirectoryCodec.room(order.get(i), await(sent.get(i)));
            if (room != null) {
                found.put(room.id(), room);
            }
        }
        return found;
    }

    @Override
    public Set<String> roomsOf(String channel) {
        return Set.copyOf(RedisBroker.redis(() -> connection.sync().smembers(keys.channelRooms(channel))));
    }

    /**
     * The records of the indexed ids that are rooms of the kind. An entry without such a record is either a create
     * still between its steps (young) or left by an interrupted removal: those older than {@code claimGrace} are
     * dropped, each only if its score did not change meanwhile (a new create of the id re-scores it).
     */
    @Override
    public List<RoomRecord> roomsOfKind(RoomKind kind) {
        String index = keys.roomsOfKind(kind);
        List<io.lettuce.core.ScoredValue<String>> entries = RedisBroker.redis(() -> connection.sync().zrangeWithScores(index, 0, -1));
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<String, RoomRecord> found = rooms(entries.stream().map(io.lettuce.core.ScoredValue::getValue).toList());
        List<RoomRecord> ofKind = new ArrayList<>(found.size());
        List<String> stale = new ArrayList<>();
        long oldest = System.currentTimeMillis() - claimGrace.toMillis();
        for (io.lettuce.core.ScoredValue<String> entry : entries) {
            RoomRecord room = found.get(entry.getValue());
            if (room != null && room.kind() == kind) {
                ofKind.add(room);
            } else if ((long) entry.getScore() < oldest) {
                stale.add(entry.getValue());
                stale.add(Long.toString((long) entry.getScore()));
            }
        }
        if (!stale.isEmpty()) {
            RedisBroker.redis(() -> KIND_PRUNE.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                    new String[]{index}, stale.toArray(String[]::new)));
        }
        return List.copyOf(ofKind);
    }

    /** The claim of the name, if its room's record exists under that name (a stale claim names no room). */
    @Override
    public Optional<String> roomNamed(String channel, String name) {
        String key = Directory.nameKey(name);
        String holder = RedisBroker.redis(() -> connection.sync().hget(keys.channelNames(channel), key));
        return holder != null && holds(holder, key) == Hold.LIVE ? Optional.of(holder) : Optional.empty();
    }

    /**
     * Step 1 claims the name and lists the id in the channel (one script in the channel's slot, which also checks
     * that the channel exists, so {@link #removeChannel} cannot remove it under the new room); step 2 writes the
     * record if the id is free (one script in the room's slot). When step 2 finds the id taken, step 1 is undone.
     * A crash between the steps leaves a claim without a record: stale, taken over after {@code claimGrace}.
     */
    @Override
    public Outcome createRoom(RoomRecord room) {
        String key = Directory.nameKey(room.name());
        List<Object> claimed = claim(room.channel(), key, room.id(), !DEFAULT_CHANNEL.equals(room.channel()), "");
        long result = (Long) claimed.get(0);
        if (result != 1) {
            return result == -1 ? Outcome.NOT_FOUND : Outcome.TAKEN;
        }
        boolean added = (Long) claimed.get(1) == 1;
        // indexed before the record exists: a crash leaves an entry without a room, never a room without its entry
        RedisBroker.redis(() -> connection.sync().zadd(keys.roomsOfKind(room.kind()), room.createdAt(), room.id()));
        List<String> args = new ArrayList<>();
        args.add("create");
        args.addAll(DirectoryCodec.roomFields(room));
        long written = RedisBroker.redis(() -> ROOM.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.roomRecord(room.id())}, args.toArray(String[]::new)));
        if (written == 1) {
            return Outcome.DONE;
        }
        // the id is another room's: give the name back, and the rooms-set entry if this create added it (the kind
        // index entry stays: it is that room's if of the same kind, else one roomsOfKind skips and drops later)
        release(room.channel(), key, room.id(), added);
        return Outcome.TAKEN;
    }

    /**
     * Claims the new name (giving the old one up in the same script), then writes the name into the record. A
     * crash between the steps leaves the new claim stale (the record still has the old name) and the old name free.
     */
    @Override
    public Outcome renameRoom(String id, String name) {
        RoomRecord room = room(id).orElse(null);
        if (room == null) {
            return Outcome.NOT_FOUND;
        }
        String key = Directory.nameKey(name);
        List<Object> claimed = claim(room.channel(), key, id, false, Directory.nameKey(room.name()));
        if ((Long) claimed.get(0) != 1) {
            return Outcome.TAKEN;
        }
        long written = RedisBroker.redis(() -> ROOM.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.roomRecord(id)}, "rename", "name", name));
        if (written == 1) {
            return Outcome.DONE;
        }
        release(room.channel(), key, id, false);  // removed meanwhile
        return Outcome.NOT_FOUND;
    }

    @Override
    public Outcome updateRoom(RoomRecord room) {
        List<String> args = new ArrayList<>();
        args.add("update");
        args.addAll(DirectoryCodec.updatableFields(room));
        long written = RedisBroker.redis(() -> ROOM.<Long>run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.roomRecord(room.id())}, args.toArray(String[]::new)));
        return written == 1 ? Outcome.DONE : Outcome.NOT_FOUND;
    }

    /**
     * Deletes the record first, then gives the name and the rooms-set entry up in the channel's slot: a crash
     * between the steps leaves a stale claim (freed by the next create of the name after {@code claimGrace}) and
     * the id in the channel's rooms set (which {@link #rooms} skips, but which keeps the channel from being removed)
     * and in the kind's index (which {@link #roomsOfKind} skips and drops).
     */
    @Override
    public Outcome removeRoom(String id) {
        RoomRecord room = room(id).orElse(null);
        if (room == null || RedisBroker.redis(() -> connection.sync().del(keys.roomRecord(id))) == 0) {
            return Outcome.NOT_FOUND;
        }
        release(room.channel(), Directory.nameKey(room.name()), id, true);
        RedisBroker.redis(() -> connection.sync().zrem(keys.roomsOfKind(room.kind()), id));
        return Outcome.DONE;
    }

    private enum Hold { LIVE, NO_ROOM, OTHER_NAME }

    /** Whether the claim of {@code key} by {@code holder} stands: its record exists and has that name. */
    private Hold holds(String holder, String key) {
        String name = RedisBroker.redis(() -> connection.sync().hget(keys.roomRecord(holder), "name"));
        if (name == null) {
            return Hold.NO_ROOM;
        }
        return Directory.nameKey(name).equals(key) ? Hold.LIVE : Hold.OTHER_NAME;
    }

    /**
     * Runs {@code name-claim.lua}; when another id holds the name, takes it over if that claim is stale and older
     * than {@code claimGrace} (by Redis's clock, which the script reads), checked in that order so that no step of
     * the holder's can still be on its way. Answers the script's reply: {-1}, {0, ...} or {1, added}.
     */
    private List<Object> claim(String channel, String key, String id, boolean channelMustExist, String giveUp) {
        String staleHolder = "";
        String staleSince = "";
        String holderIsNoRoom = "0";
        for (int attempt = 0; attempt < 3; attempt++) {
            String[] scriptKeys = {keys.channel(channel), keys.channelNames(channel), keys.channelClaims(channel),
                    keys.channelRooms(channel)};
            String[] args = {key, id, channelMustExist ? "1" : "0", giveUp, staleHolder, staleSince, holderIsNoRoom};
            List<Object> reply = RedisBroker.redis(() -> CLAIM.run(connection.sync(), ScriptOutputType.MULTI, scriptKeys, args));
            if ((Long) reply.get(0) != 0) {
                return reply;
            }
            String holder = (String) reply.get(1);
            String since = (String) reply.get(2);
            long age = Long.parseLong((String) reply.get(3)) - Long.parseLong(since);
            if (age < claimGrace.toMillis()) {
                return reply;
            }
            Hold hold = holds(holder, key);
            if (hold == Hold.LIVE) {
                return reply;
            }
            staleHolder = holder;
            staleSince = since;
            holderIsNoRoom = hold == Hold.NO_ROOM ? "1" : "0";
        }
        return List.of(0L);
    }

    private void release(String channel, String key, String id, boolean dropFromRooms) {
        RedisBroker.redis(() -> RELEASE.run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.channelNames(channel), keys.channelClaims(channel), keys.channelRooms(channel)},
                key, id, dropFromRooms ? "1" : "0"));
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while reading the directory from Redis", e);
        } catch (TimeoutException e) {
            throw new EngineUnavailableException("Redis did not answer within " + timeout, e);
        } catch (Exception e) {
            throw new EngineUnavailableException("Redis: reading the directory failed: " + e.getMessage(), e);
        }
    }
}
