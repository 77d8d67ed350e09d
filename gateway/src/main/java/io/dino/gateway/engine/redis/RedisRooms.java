package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.RoomFullException;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.engine.SessionRef;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A join in at most two round trips. The first sends, pipelined, this node's own records (its interest in
 * the room's log when it subscribes, its presence entry: written before the script, so they always cover
 * what it adds) and {@code join.lua}, which atomically adds the presence, the interest, and reads the room's
 * position, members and, for a user's first session, the nodes to announce it to; with a capacity it first
 * refuses, changing nothing, a user who would be one too many (the count and the add in one script, one slot). The second, only when
 * needed, sends the announcement and the read of what a recovering client missed, pipelined.
 */
final class RedisRooms implements Rooms {

    private final String node;
    private final Keys keys;
    private final Connection connection;
    private final RedisSettings settings;
    private final RedisBroker broker;
    private final RedisPresenceStore presence;
    private final Scripts join = Scripts.load("join.lua");

    RedisRooms(String node, Keys keys, Connection connection, RedisSettings settings,
               RedisBroker broker, RedisPresenceStore presence) {
        this.node = node;
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.broker = broker;
        this.presence = presence;
    }

    @Override
    public Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit,
                         boolean hidden, int capacity, boolean announce) {
        String entry = presence.claim(RedisPresenceStore.Entry.room(room, session));
        try {
            return broker.changingInterest(() -> enterInRedis(room, session, entry, subscribe, since, recoveryLimit, hidden,
                    capacity, announce));
        } catch (RuntimeException e) {
            presence.release(entry);
            throw e;
        }
    }

    private Entered enterInRedis(String room, SessionRef session, String entry, boolean subscribe, Optional<Position> since,
                                 int recoveryLimit, boolean hidden, int capacity, boolean announce) {
        LogId log = LogId.room(room);
        String[] scriptKeys = {keys.meta(log), keys.interest(log), keys.roomSessions(room), keys.roomUsers(room), keys.roomHidden(room)};
        String[] args = {node, subscribe ? "1" : "0", session.node() + "/" + session.session(), session.user(), hidden ? "1" : "0",
                String.valueOf(capacity), announce ? "1" : "0"};
        RedisClusterAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<Long>> records = new ArrayList<>(2);
        if (subscribe) {
            records.add(async.sadd(keys.nodeInterest(node), Keys.logToken(log)));
        }
        records.add(async.sadd(keys.nodePresence(node), entry));
        // the user's room index, in the user's slot: beside the script, not in it (see RedisPresenceStore#index)
        records.add(async.sadd(keys.userRooms(session.user()), RedisPresenceStore.Entry.room(room, session).indexMember()));
        RedisFuture<List<Object>> sent = RedisBroker.redis(() -> join.send(connection, ScriptOutputType.MULTI, scriptKeys, args));
        List<Object> result = join.await(sent, settings.commandTimeout(), connection, ScriptOutputType.MULTI, scriptKeys, args);
        broker.awaitAll(records);
        if (result.get(0) instanceof Long refused && refused == -1) {
            // the records written beside the script: the caller releases the presence entry, the user's index entry
            // goes here (only on this refusal: one more round trip), reconciliation drops interest nothing delivers
            RedisBroker.redis(() -> connection.sync().srem(keys.userRooms(session.user()),
                    RedisPresenceStore.Entry.room(room, session).indexMember()));
            throw new RoomFullException(room, capacity);
        }

        Position top = new Position((String) result.get(0), Long.parseLong(String.valueOf(result.get(1))));
        boolean first = (Long) result.get(2) == 1;
        int memberCount = Math.toIntExact((Long) result.get(3));
        List<String> members = result.subList(4, 4 + memberCount).stream().map(String.class::cast).sorted().toList();
        int hiddenAt = 4 + memberCount;
        int hiddenCount = Math.toIntExact((Long) result.get(hiddenAt));
        java.util.Set<String> hiddenMembers = result.subList(hiddenAt + 1, hiddenAt + 1 + hiddenCount).stream()
                .map(String.class::cast).collect(java.util.stream.Collectors.toUnmodifiableSet());
        List<Object> announceTo = first ? result.subList(hiddenAt + 1 + hiddenCount, result.size()) : List.of();
        if (subscribe) {
            broker.delivered().put(log, top);
        }
        try {
            List<RedisFuture<String>> announced = broker.sendToInboxes(announceTo, RedisBroker.membership(room, session.user(), true,
                    hidden ? io.dino.gateway.engine.Audience.OPERATORS : io.dino.gateway.engine.Audience.EVERYONE));
            Optional<Supplier<Recovery>> missed = since.map(position -> broker.sendRecovery(log, top, position, recoveryLimit));
            broker.awaitAll(announced);
            return new Entered(top, members, hiddenMembers, missed.map(Supplier::get));
        } catch (EngineUnavailableException e) {
            if (subscribe) {
                broker.delivered().remove(log);  // reconciliation then drops the interest the script added
            }
            throw e;
        }
    }
}
