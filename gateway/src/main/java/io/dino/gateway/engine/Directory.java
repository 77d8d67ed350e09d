package io.dino.gateway.engine;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of channels and rooms, cluster-wide: what exists, of which kind, under which name. A room id
 * that is not registered is an open room of the default channel (the core decides what that allows). The
 * engine stores and keeps names unique; who may change what is the core's.
 *
 * <p>Contract: every change is visible to every node's reads once it returns. Room names are unique within a
 * channel ignoring case; a create or rename that would break that, or a create of a taken id, changes
 * nothing and answers {@link Outcome#TAKEN}. Failures throw {@link EngineUnavailableException}.
 *
 * <p>The channel {@value #DEFAULT_CHANNEL} always exists: until it is created (or updated) it reads as
 * {@link #implicitDefault()}; it can be given a name, tags and rules, and is never removed.
 */
public interface Directory {

    /** The channel every unregistered room, and every room created without one, belongs to. */
    String DEFAULT_CHANNEL = "default";

    enum RoomKind {
        /** Made by the backend or an operator; stays until removed. */
        STATIC,
        /** Made by a user; removed when it has been empty for a while. */
        EPHEMERAL,
        /** A fixed member list (1:1 and small groups): only they may join or read. */
        PRIVATE
    }

    /**
     * A channel: a group of rooms.
     *
     * @param rules access rules of the channel, action id → rule text (the core parses them)
     */
    record ChannelRecord(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        public ChannelRecord {
            tags = List.copyOf(tags);
            rules = Map.copyOf(rules);
        }
    }

    /**
     * A registered room.
     *
     * @param capacity         most users in the room at once; 0 for no limit
     * @param members          who may be in a private room (empty for other kinds)
     * @param membershipEvents whether the room's members are told of joins and leaves
     */
    record RoomRecord(String id, String channel, String name, RoomKind kind, int capacity, String topic,
                      long createdAt, String createdBy, Set<String> members, boolean membershipEvents) {
        public RoomRecord {
            members = Set.copyOf(members);
        }
    }

    enum Outcome { DONE, TAKEN, NOT_FOUND }

    /** The channel; the default one always (see {@link #implicitDefault()}). */
    Optional<ChannelRecord> channel(String id);

    /** Every channel, the default one included, by sort order then id. */
    List<ChannelRecord> channels();

    /** Creates a channel, or answers TAKEN when the id exists (the default channel: once it has been created). */
    Outcome createChannel(ChannelRecord channel);

    /** Replaces a channel's name, sort order, tags and rules; NOT_FOUND when it does not exist (never for the default). */
    Outcome updateChannel(ChannelRecord channel);

    /** Removes an empty channel (no rooms): NOT_FOUND when missing, TAKEN when it still has rooms or is the default. */
    Outcome removeChannel(String id);

    Optional<RoomRecord> room(String id);

    /** Records of the given room ids that are registered, keyed by id (batch read, for lists and autojoin). */
    Map<String, RoomRecord> rooms(Collection<String> ids);

    /**
     * Ids of the rooms of a channel (any order). An engine whose changes take several steps may list the id of
     * a room whose removal was interrupted; {@link #rooms} skips such ids.
     */
    Set<String> roomsOf(String channel);

    /**
     * Records of every registered room of the kind, in any order: what the sweep of empty ephemeral rooms reads
     * each period. Engines index rooms by kind, so this reads the rooms of that kind only, not the whole directory.
     */
    List<RoomRecord> roomsOfKind(RoomKind kind);

    /** The id of the room named so in the channel (case-insensitive), if any. */
    Optional<String> roomNamed(String channel, String name);

    /** Registers a room: TAKEN when its id, or its name in its channel, is taken; NOT_FOUND when its channel is missing. */
    Outcome createRoom(RoomRecord room);

    /** Renames a room within its channel: TAKEN when the new name is taken there, NOT_FOUND when the room is missing. */
    Outcome renameRoom(String id, String name);

    /**
     * Replaces what may change of a room besides its name: capacity, topic, members, membership events (the
     * other components of {@code room} are ignored: see {@link #updated}); NOT_FOUND when the room is missing.
     */
    Outcome updateRoom(RoomRecord room);

    /** Forgets a room (record, name, channel entry); NOT_FOUND when missing. Its log is left to retention. */
    Outcome removeRoom(String id);

    /** The default channel as it reads before anyone created it: named after its id, order 0, no tags, no rules. */
    static ChannelRecord implicitDefault() {
        return new ChannelRecord(DEFAULT_CHANNEL, DEFAULT_CHANNEL, 0, List.of(), Map.of());
    }

    /** The order of {@link #channels()}. */
    Comparator<ChannelRecord> CHANNEL_ORDER = Comparator.comparingInt(ChannelRecord::sortOrder)
            .thenComparing(ChannelRecord::id);

    /** The form a name is unique in, within a channel: lower case, locale-independent. */
    static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** What {@link #updateRoom} makes of the stored record {@code room} given {@code update}. */
    static RoomRecord updated(RoomRecord room, RoomRecord update) {
        return new RoomRecord(room.id(), room.channel(), room.name(), room.kind(), update.capacity(), update.topic(),
                room.createdAt(), room.createdBy(), update.members(), update.membershipEvents());
    }
}
