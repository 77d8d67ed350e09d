package io.dino.gateway.core;

import io.dino.gateway.acl.ChannelAcl;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.Outcome;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Roles.Scope;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/**
 * Channels and registered rooms as the backend manages them (trusted: no policy step, reserved names allowed),
 * and the steps sessions' room management ({@link UserRooms}) shares with it. Every change takes effect at once,
 * cluster-wide: the nodes holding a room are told through the control plane (a rename, a removal, or that its
 * access rules changed).
 */
public final class RoomAdmin {

    /** Most users one private room may list, and owners or moderators one create may name. */
    public static final int MAX_USERS = 100;

    /** What a room is created from; {@code id} empty: generated ({@code r-} and an {@link Ids} id). */
    public record NewRoom(Optional<String> id, String channel, String name, RoomKind kind, int capacity, String topic,
                          Set<String> members, boolean membershipEvents, Set<String> owners, Set<String> moderators) {
        public NewRoom {
            members = Set.copyOf(members);
            owners = Set.copyOf(owners);
            moderators = Set.copyOf(moderators);
        }
    }

    /** What may change of a room besides its name; an empty component leaves it as it is. */
    public record RoomUpdate(OptionalInt capacity, Optional<String> topic, Optional<Set<String>> members,
                             Optional<Boolean> membershipEvents) {
    }

    /** A room with its stored owners and moderators (sorted) and how many users are in it (everyone counted). */
    public record RoomView(RoomRecord room, List<String> owners, List<String> moderators, int users) {
    }

    private final Directory directory;
    private final Roles roles;
    private final Sanctions sanctions;
    private final PresenceStore presence;
    private final RoomPolicy policy;
    private final RoomControls controls;
    private final RoomNames names;
    private final InstantSource clock;
    /** The admin room, which may not be removed (its id would become an open room anyone may join). */
    private volatile String kept = "";
    private final Happenings happenings;

    RoomAdmin(Directory directory, Roles roles, Sanctions sanctions, PresenceStore presence, RoomPolicy policy,
              RoomControls controls, GatewayConfig.Rooms config, InstantSource clock, Happenings happenings) {
        this.happenings = happenings;
        this.sanctions = sanctions;
        this.directory = directory;
        this.roles = roles;
        this.presence = presence;
        this.policy = policy;
        this.controls = controls;
        this.names = new RoomNames(config);
        this.clock = clock;
    }

    RoomNames names() {
        return names;
    }

    // ---- channels (backend only) ----

    public ChannelRecord createChannel(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        ChannelRecord channel = channelRecord(id, name, sortOrder, tags, rules);
        if (call(() -> directory.createChannel(channel)) == Outcome.TAKEN) {
            throw new DinoException(ErrorCode.CHANNEL_EXISTS, "channel '" + id + "' exists");
        }
        return channel;
    }

    /** Replaces a channel's name, order, tags and rules; its rooms' holders re-check their sessions at once. */
    public ChannelRecord updateChannel(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        ChannelRecord channel = channelRecord(id, name, sortOrder, tags, rules);
        store(channel);
        return channel;
    }

    /** Stores the channel and has its rooms' holders re-check their sessions; answers how many are re-checked. */
    private int store(ChannelRecord channel) {
        if (call(() -> directory.updateChannel(channel)) == Outcome.NOT_FOUND) {
            throw noSuchChannel(channel.id());
        }
        return controls.channelChanged(channel.id());
    }

    /**
     * Removes a channel that has no rooms (INVALID_VALUE otherwise; never the default one), its stored roles and
     * its channel bans, so a channel made again with the id starts clean.
     */
    public void removeChannel(String id) {
        RoomNames.id("channel", id);
        if (Directory.DEFAULT_CHANNEL.equals(id)) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "the default channel cannot be removed");
        }
        switch (call(() -> directory.removeChannel(id))) {
            case NOT_FOUND -> throw noSuchChannel(id);
            case TAKEN -> throw new DinoException(ErrorCode.INVALID_VALUE,
                    "channel '" + id + "' still has rooms: remove them first");
            case DONE -> {
                run(() -> roles.clear(Scope.channel(id)));
                run(() -> sanctions.clear(List.of(Sanctions.Target.channel(id))));
            }
        }
    }

    public List<ChannelRecord> channels() {
        return call(directory::channels);
    }

    public ChannelRecord channel(String id) {
        RoomNames.id("channel", id);
        return call(() -> directory.channel(id)).orElseThrow(() -> noSuchChannel(id));
    }

    /** Replaces a channel's rules (validated; blank rule = none) and applies them at once; answers the sessions re-checked. */
    public int setChannelRules(String id, Map<String, String> rules) {
        ChannelRecord old = channel(id);
        return store(channelRecord(id, old.name(), old.sortOrder(), old.tags(), rules));
    }

    public Map<String, String> channelRules(String id) {
        return channel(id).rules();
    }

    private ChannelRecord channelRecord(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        RoomNames.id("channel", id);
        String shown = name == null || name.isBlank() || name.equals(id) ? id : names.valid("channel", name, true);
        for (String tag : tags) {
            if (tag == null || tag.isBlank() || tag.length() > Names.MAX_ROOM_LENGTH || tag.chars().anyMatch(Character::isISOControl)) {
                throw new DinoException(ErrorCode.INVALID_VALUE,
                        "tags must be 1-" + Names.MAX_ROOM_LENGTH + " characters without control characters");
            }
        }
        try {
            return new ChannelRecord(id, shown, sortOrder, List.copyOf(new TreeSet<>(tags)), ChannelAcl.parse(rules).texts());
        } catch (IllegalArgumentException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, e.getMessage());
        }
    }

    // ---- rooms ----

    /** Creates a registered room (backend: reserved names allowed), grants its owners and moderators. */
    public RoomView createRoom(NewRoom room) {
        return create(room, "", true);
    }

    /**
     * Registers the room, then grants its roles; the room's holders (a room declared over an open room that has
     * sessions) re-check them. {@code privileged}: reserved names allowed.
     */
    RoomView create(NewRoom room, String createdBy, boolean privileged) {
        String id = room.id().isPresent() ? RoomNames.id("room", room.id().get()) : "r-" + Ids.next(clock.millis());
        String channel = room.channel() == null || room.channel().isEmpty() ? Directory.DEFAULT_CHANNEL : RoomNames.id("channel", room.channel());
        String name = names.valid("room", room.name(), privileged);
        if (room.capacity() < 0) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "capacity must be 0 (no limit) or more");
        }
        users("members", room.members());
        users("owners", room.owners());
        users("moderators", room.moderators());
        if (room.kind() != RoomKind.PRIVATE && !room.members().isEmpty()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "only a private room has members");
        }
        RoomRecord record = new RoomRecord(id, channel, name, room.kind(), room.capacity(), topic(room.topic()),
                clock.millis(), createdBy, room.members(), room.membershipEvents());
        switch (call(() -> directory.createRoom(record))) {
            case NOT_FOUND -> throw noSuchChannel(channel);
            case TAKEN -> throw call(() -> directory.room(id)).isPresent()
                    ? new DinoException(ErrorCode.ROOM_EXISTS, "room '" + id + "' exists")
                    : nameTaken(name, channel);
            case DONE -> { }
        }
        room.owners().forEach(user -> run(() -> roles.grant(Scope.room(id), user, "owner")));
        room.moderators().forEach(user -> run(() -> roles.grant(Scope.room(id), user, "moderator")));
        controls.roomChanged(id);
        happenings.emit(EventType.ROOM_CREATED, id, "", createdBy, Map.of("name", name, "channel", channel,
                "kind", room.kind().name().toLowerCase(java.util.Locale.ROOT)));
        return view(record);
    }

    /** Renames a registered room (backend); every session in it gets a {@code renamed} event. */
    public RoomRecord renameRoom(String id, String name) {
        return rename(id, name, true, "");
    }

    /** {@code by}: who renames it (for the {@code room-renamed} domain event), empty for a backend. */
    RoomRecord rename(String id, String name, boolean privileged, String by) {
        RoomRecord room = room(id);
        String valid = names.valid("room", name, privileged);
        switch (call(() -> directory.renameRoom(id, valid))) {
            case NOT_FOUND -> throw noSuchRoom(id);
            case TAKEN -> throw nameTaken(valid, room.channel());
            case DONE -> { }
        }
        controls.renamed(id, valid);
        happenings.emit(EventType.ROOM_RENAMED, id, "", by, Map.of("name", valid, "previousName", room.name()));
        return call(() -> directory.room(id)).orElseThrow(() -> noSuchRoom(id));
    }

    /** Changes a room's capacity, topic, members (private rooms), membership events; its holders re-check at once. */
    public RoomRecord updateRoom(String id, RoomUpdate update) {
        RoomRecord room = room(id);
        Set<String> members = update.members().orElse(room.members());
        users("members", members);
        if (room.kind() != RoomKind.PRIVATE && !members.isEmpty()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "only a private room has members");
        }
        int capacity = update.capacity().orElse(room.capacity());
        if (capacity < 0) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "capacity must be 0 (no limit) or more");
        }
        RoomRecord changed = new RoomRecord(id, room.channel(), room.name(), room.kind(), capacity,
                update.topic().map(RoomAdmin::topic).orElse(room.topic()), room.createdAt(), room.createdBy(), members,
                update.membershipEvents().orElse(room.membershipEvents()));
        if (call(() -> directory.updateRoom(changed)) == Outcome.NOT_FOUND) {
            throw noSuchRoom(id);
        }
        controls.roomChanged(id);
        return changed;
    }

    /**
     * Forgets a registered room: its record and name, its stored roles, access rules, bans and mutes; then every session in
     * it, on any node, is taken out with {@code removed} (reason {@code room removed}). Its log is left to retention.
     */
    /** Removing this room is refused from now on (the admin room). */
    void keep(String room) {
        kept = room;
    }

    public void removeRoom(String id) {
        removeRoom(id, "", "");
    }

    /**
     * As {@link #removeRoom(String)}; {@code by} (who, empty for a backend) and {@code reason} go into the
     * {@code room-removed} domain event.
     */
    void removeRoom(String id, String by, String reason) {
        RoomNames.id("room", id);
        if (id.equals(kept)) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "room '" + id + "' is the admin room and cannot be removed "
                    + "(configure another dino.moderation.admin-room first)");
        }
        if (call(() -> directory.removeRoom(id)) == Outcome.NOT_FOUND) {
            throw noSuchRoom(id);
        }
        run(() -> roles.clear(Scope.room(id)));
        run(() -> sanctions.clear(List.of(Sanctions.Target.room(id))));
        run(() -> policy.store(id, RoomAcl.OPEN));
        controls.removed(id);
        happenings.emit(EventType.ROOM_REMOVED, id, "", by, Map.of("reason", reason));
    }

    public RoomRecord room(String id) {
        RoomNames.id("room", id);
        return call(() -> directory.room(id)).orElseThrow(() -> noSuchRoom(id));
    }

    public RoomView view(String id) {
        return view(room(id));
    }

    /** The registered rooms of a channel, by name. */
    public List<RoomRecord> rooms(String channel) {
        channel(channel);
        Set<String> ids = call(() -> directory.roomsOf(channel));
        return call(() -> directory.rooms(ids)).values().stream()
                .sorted(Comparator.comparing((RoomRecord room) -> Directory.nameKey(room.name())).thenComparing(RoomRecord::id))
                .toList();
    }

    private RoomView view(RoomRecord room) {
        Map<String, Set<String>> holders = call(() -> roles.holders(Scope.room(room.id())));
        int users = call(() -> presence.members(room.id())).size();
        return new RoomView(room, holding(holders, "owner"), holding(holders, "moderator"), users);
    }

    private static List<String> holding(Map<String, Set<String>> holders, String role) {
        return holders.entrySet().stream().filter(e -> e.getValue().contains(role)).map(Map.Entry::getKey).sorted().toList();
    }

    private static void users(String what, Set<String> users) {
        if (users.size() > MAX_USERS) {
            throw new DinoException(ErrorCode.INVALID_VALUE, what + " may name at most " + MAX_USERS + " users");
        }
        users.forEach((Consumer<String>) Names::user);
    }

    private static String topic(String topic) {
        String value = topic == null ? "" : topic.strip();
        if (value.length() > 500) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "topic must be at most 500 characters");
        }
        return value;
    }

    static DinoException noSuchRoom(String id) {
        return new DinoException(ErrorCode.NO_SUCH_ROOM, "no room '" + id + "'");
    }

    static DinoException noSuchChannel(String id) {
        return new DinoException(ErrorCode.NO_SUCH_CHANNEL, "no channel '" + id + "'");
    }

    static DinoException nameTaken(String name, String channel) {
        return new DinoException(ErrorCode.ROOM_EXISTS, "a room named '" + name + "' exists in channel '" + channel + "'");
    }
}
