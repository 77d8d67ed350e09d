package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Roles;

/**
 * Every Redis key Dino uses, built in one place (docs/architecture.md lists them). Keys of one log
 * share a hash tag, so the scripts that touch them run atomically on Redis Cluster too.
 */
final class Keys {

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    /** {@code {r:lobby}} or {@code {u:alice}}: the hash tag of everything about one log. */
    private String tag(LogId log) {
        return prefix + ":{" + (log.isRoom() ? "r:" : "u:") + log.name() + "}";
    }

    String meta(LogId log) {
        return tag(log) + ":meta";
    }

    String log(LogId log) {
        return tag(log) + ":log";
    }

    String interest(LogId log) {
        return tag(log) + ":nodes";
    }

    String idempotency(LogId log, String key) {
        return tag(log) + ":idem:" + key;
    }

    /**
     * The rooms a user's sessions are in, in the user's slot (the tag of the user's inbox): a set of
     * {@code room\nnode/session}, one member per room entry of a session, added and removed with the room
     * entry (see {@link RedisPresenceStore}); rooms are read from it with SMEMBERS.
     */
    String userRooms(String user) {
        return tag(LogId.user(user)) + ":rooms";
    }

    /** Sessions present in a room: field node/session, value user. */
    String roomSessions(String room) {
        return tag(LogId.room(room)) + ":sessions";
    }

    /** Users present in a room: field user, value number of sessions. */
    String roomUsers(String room) {
        return tag(LogId.room(room)) + ":users";
    }

    /** A room's access rules: field action, value rule text (kept until replaced; no TTL). */
    String roomAcl(String room) {
        return tag(LogId.room(room)) + ":acl";
    }

    /**
     * Stored roles of a room ({@code {r:ROOM}}, the room's slot) or a channel ({@code {c:CHANNEL}}): field user,
     * value the user's roles there, sorted, separated by spaces (kept until revoked or the scope is cleared).
     */
    String roles(Roles.Scope scope) {
        return scopeTag(scope) + ":roles";
    }

    /**
     * The roles a user holds anywhere, in the user's slot: a set of {@code room|ID|role} and {@code channel|ID|role}
     * (ids and roles never contain {@code |}). An index only: {@link RedisRoles} checks each entry against the
     * scope's hash, which is the truth.
     */
    /**
     * A user's revoked tokens, in the user's slot: field {@code u} (every token issued before a time) →
     * {@code BEFORE_MS UNTIL_MS}, field {@code t:ID} (one token by id) → {@code UNTIL_MS}. Expires with its latest
     * {@code until} (see {@code revoke.lua}); a connect reads the two fields it needs with one HMGET.
     */
    String revocations(String user) {
        return tag(LogId.user(user)) + ":revoked";
    }

    String userGrants(String user) {
        return tag(LogId.user(user)) + ":grants";
    }

    /**
     * Bans or mutes of one target, in the target's slot: {@code {r:ROOM}:bans}, {@code {r:ROOM}:mutes},
     * {@code {c:CHANNEL}:bans}, and the global bans in one key of their own; field user, value
     * {@code until\nat\nby\nreason} (see {@link RedisSanctions}).
     */
    String sanctions(io.dino.gateway.engine.Sanctions.Kind kind, io.dino.gateway.engine.Sanctions.Target target) {
        String suffix = kind == io.dino.gateway.engine.Sanctions.Kind.BAN ? ":bans" : ":mutes";
        return switch (target.scope()) {
            case ROOM -> tag(LogId.room(target.id())) + suffix;
            case CHANNEL -> channelTag(target.id()) + suffix;
            case GLOBAL -> prefix + ":{global}" + suffix;
        };
    }

    /**
     * Where a user is banned, in the user's slot: a set of {@code room|ID}, {@code channel|ID} and {@code global|}.
     * An index only: {@link RedisSanctions} checks each entry against the target's hash, which is the truth.
     */
    String userBans(String user) {
        return tag(LogId.user(user)) + ":bans";
    }

    private String scopeTag(Roles.Scope scope) {
        return switch (scope.kind()) {
            case ROOM -> tag(LogId.room(scope.id()));
            case CHANNEL -> prefix + ":{c:" + scope.id() + "}";
        };
    }

    /**
     * The rooms that have a rule for an action (an index for {@link RedisRoomAcls#roomsWithRule}): a set of
     * room ids, one key per action, in a slot of its own (not the rooms'), so it is written by a second command.
     */
    String roomsWithRule(String action) {
        return prefix + ":acl-rooms:" + action;
    }

    /**
     * Receipt markers of a log ({@link RedisReceipts}), in the log's slot ({@code {r:ROOM}} or {@code {u:USER}}):
     * field user, value {@code epoch delivered read}; expires with the log's idle lifetime after its last mark.
     */
    String receipts(LogId log) {
        return tag(log) + ":receipts";
    }

    /**
     * A room's soft deletions ({@link RedisTombstones}): field {@code m:ID}, {@code u:USER} or {@code all}, in the
     * room's slot so one script changes them with a look at the log's meta and stream.
     */
    String tombstones(String room) {
        return tag(LogId.room(room)) + ":deleted";
    }

    /** Members of a room who are hidden (invisible users): a set of users. */
    String roomHidden(String room) {
        return tag(LogId.room(room)) + ":hidden";
    }

    /**
     * A registered room's record (see {@link RedisDirectory}), in the room's slot. Not the log's {@link #meta}
     * hash: that one expires with the log's retention and is recreated by publishes, the record must stay.
     */
    String roomRecord(String room) {
        return tag(LogId.room(room)) + ":room";
    }

    /** {@code {c:games}}: the hash tag of everything about one channel of the directory. */
    private String channelTag(String channel) {
        return prefix + ":{c:" + channel + "}";
    }

    /** A channel's record: {@code name}, {@code sort}, {@code tag.N} (N from 0, in order), {@code rule.ACTION}. */
    String channel(String channel) {
        return channelTag(channel) + ":meta";
    }

    /** Ids of a channel's rooms: a set. */
    String channelRooms(String channel) {
        return channelTag(channel) + ":rooms";
    }

    /** A channel's name index: field lowercased room name, value room id (the claim of the name). */
    String channelNames(String channel) {
        return channelTag(channel) + ":names";
    }

    /** When each name of {@link #channelNames} was claimed, Redis time in ms: field lowercased name. */
    String channelClaims(String channel) {
        return channelTag(channel) + ":claims";
    }

    /**
     * Ids of the registered rooms of a kind, scored by their creation time (ms): an index for
     * {@link RedisDirectory#roomsOfKind}, in a slot of its own, so written by commands of its own (see there).
     */
    String roomsOfKind(io.dino.gateway.engine.Directory.RoomKind kind) {
        return prefix + ":kind-rooms:" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Ids of the created channels (the default one is read by its key, listed or not): a set. */
    String channels() {
        return prefix + ":channels";
    }

    /**
     * Online presence is split into {@value #ONLINE_BUCKETS} buckets by user, each its own hash tag, so that
     * connects and disconnects spread over as many Redis Cluster slots instead of making one slot hot. All
     * sessions of a user share a bucket, so presence.lua still decides "first in" and "last out" atomically.
     */
    static final int ONLINE_BUCKETS = 16;

    /** The bucket of a user: its Java {@code String.hashCode} (specified, so the same on every node) modulo the buckets. */
    static int onlineBucket(String user) {
        return Math.floorMod(user.hashCode(), ONLINE_BUCKETS);
    }

    /** Sessions online in a bucket: field node/session, value user. */
    String onlineSessions(int bucket) {
        return prefix + ":{online:" + bucket + "}:sessions";
    }

    /** Users online in a bucket: field user, value number of sessions. */
    String onlineUsers(int bucket) {
        return prefix + ":{online:" + bucket + "}:users";
    }

    /** Statuses of online users in a bucket other than "online" (the default): field user, value status. */
    String onlineStatus(int bucket) {
        return prefix + ":{online:" + bucket + "}:status";
    }

    /**
     * When each user of a bucket last went offline (their last session ended): field user, value epoch ms.
     * One field per user who was ever online; never expires (a few dozen bytes per user).
     */
    String lastOnline(int bucket) {
        return prefix + ":{online:" + bucket + "}:last";
    }

    /** The stream a node reads everything it must deliver from. */
    String inbox(String node) {
        return prefix + ":{n:" + node + "}:inbox";
    }

    /** Logs a node subscribed to, so the cluster can remove a dead node's interest. */
    String nodeInterest(String node) {
        return prefix + ":{n:" + node + "}:interest";
    }

    /** Presence entries of a node's sessions ("online" or a room, then session and user), for cleanup. */
    String nodePresence(String node) {
        return prefix + ":{n:" + node + "}:presence";
    }

    String nodeReaperLock(String node) {
        return prefix + ":{n:" + node + "}:reaper";
    }

    /** Heartbeats: node id scored by its last heartbeat time (ms). */
    String nodes() {
        return prefix + ":nodes";
    }

    /** Hash: node id → the node's last load report (compact JSON; {@link RedisNodes}). */
    String nodeStats() {
        return prefix + ":node-stats";
    }

    /** The blacklist's entries (a set); one slot with its version, so a change updates both in one script. */
    String blacklist() {
        return prefix + ":{blacklist}:words";
    }

    /** The blacklist's version: a counter every change of {@link #blacklist} increments. */
    String blacklistVersion() {
        return prefix + ":{blacklist}:version";
    }


    /** Turns an interest-set member back into a log: the inverse of {@link #logToken}. */
    static LogId tokenToLog(String token) {
        return new LogId(token.charAt(0) == 'r' ? LogId.Kind.ROOM : LogId.Kind.USER, token.substring(2));
    }

    /** A log as a compact string: {@code r:lobby}, {@code u:alice}. */
    static String logToken(LogId log) {
        return (log.isRoom() ? "r:" : "u:") + log.name();
    }
}
