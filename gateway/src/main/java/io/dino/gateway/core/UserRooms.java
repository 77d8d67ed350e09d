package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.ChannelAcl;
import io.dino.gateway.acl.ChannelAction;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.acl.Verdict;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Roles.Grant;
import io.dino.gateway.engine.Roles.Scope;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Channels and rooms as sessions see and manage them: list channels, browse a channel's rooms, create an
 * ephemeral, private or static room, rename or remove a room. Rights come from the token (operators) and the
 * stored roles; the changes themselves are {@link RoomAdmin}'s, so they take effect as a backend's do.
 */
public final class UserRooms {

    /** A room as {@code browse} shows it: {@code users} counts the members the viewer may see. */
    public record Listed(RoomRecord room, int users) {
    }

    private final Directory directory;
    private final Roles roles;
    private final PresenceStore presence;
    private final RoomPolicy policy;
    private final RoomAdmin admin;
    private final RoomOperations rooms;
    private final Hub hub;
    private final int maxEphemeral;

    UserRooms(Directory directory, Roles roles, PresenceStore presence, RoomPolicy policy, RoomAdmin admin,
              RoomOperations rooms, Hub hub, GatewayConfig.Rooms config) {
        this.directory = directory;
        this.roles = roles;
        this.presence = presence;
        this.policy = policy;
        this.admin = admin;
        this.rooms = rooms;
        this.hub = hub;
        this.maxEphemeral = config.maxEphemeralPerUser();
        hub.onRoomRemoved(this::takeOut);
    }

    /** The channels whose {@code list} rule the user passes (operators: all), by sort order then id. */
    public List<ChannelRecord> channels(Session session) {
        List<Grant> grants = grantsOf(session);
        return call(directory::channels).stream()
                .filter(channel -> channelAllows(session, grants, channel, ChannelAction.LIST).passed())
                .sorted(Directory.CHANNEL_ORDER)
                .toList();
    }

    /**
     * The registered rooms of a channel the session may see, by name, each with how many users it shows: the
     * room's {@code list} rule must pass, a private room only for its members; operators see all rooms and count
     * every member, others count the visible members.
     */
    public List<Listed> browse(Session session, String channel) {
        admin.channel(channel);
        Set<String> ids = call(() -> directory.roomsOf(channel));
        List<RoomRecord> registered = call(() -> directory.rooms(ids)).values().stream()
                .sorted(java.util.Comparator.comparing((RoomRecord room) -> Directory.nameKey(room.name()))
                        .thenComparing(RoomRecord::id))
                .toList();
        // each room's rules (and for non-operators its visible members) are read for all rooms together
        List<Boolean> listable = call(() -> policy.all(registered.stream()
                .map(room -> (java.util.function.Supplier<Boolean>) () -> mayList(session, room)).toList()));
        List<RoomRecord> visible = new ArrayList<>();
        for (int i = 0; i < registered.size(); i++) {
            if (listable.get(i)) {
                visible.add(registered.get(i));
            }
        }
        if (visible.isEmpty()) {
            return List.of();
        }
        List<String> visibleIds = visible.stream().map(RoomRecord::id).toList();
        List<Integer> users;
        if (session.principal().isOperator()) {
            Map<String, List<String>> members = call(() -> presence.membersOfRooms(visibleIds));
            users = visibleIds.stream().map(id -> members.getOrDefault(id, List.of()).size()).toList();
        } else {
            users = call(() -> policy.all(visibleIds.stream()
                    .map(id -> (java.util.function.Supplier<Integer>) () -> presence.visibleMembers(id).size()).toList()));
        }
        List<Listed> listed = new ArrayList<>(visible.size());
        for (int i = 0; i < visible.size(); i++) {
            listed.add(new Listed(visible.get(i), users.get(i)));
        }
        return listed;
    }

    /**
     * Whether the session may see the room in a list: operators always; a private room only its members (no
     * engine read for either); otherwise the room's {@code list} rule, as the access snapshot
     * decides (cached when the session is in the room, else read).
     */
    boolean mayList(Session session, RoomRecord room) {
        if (session.principal().isOperator()) {
            return true;
        }
        if (room.kind() == RoomKind.PRIVATE) {
            return room.members().contains(session.user());
        }
        RoomRules rules = policy.rulesFor(session, room.id());
        return rules.check(policy.subject(session, rules), RoomAction.LIST).passed();
    }

    /**
     * Creates a room in a channel. Ephemeral and private: anyone passing the channel's {@code create} rule, up to
     * {@code dino.rooms.max-ephemeral-per-user} owned ephemeral rooms; static: operators and the channel's owners
     * and admins. The creator becomes its owner (and a member of a private room).
     */
    public RoomAdmin.RoomView create(Session session, String name, RoomKind kind, Optional<String> channelId,
                                     String topic, Set<String> members, int capacity) {
        String channel = channelId.map(id -> RoomNames.id("channel", id)).orElse(Directory.DEFAULT_CHANNEL);
        ChannelRecord record = admin.channel(channel);
        boolean operator = session.principal().isOperator();
        List<Grant> grants = grantsOf(session);
        if (kind == RoomKind.STATIC) {
            if (!operator && !holds(grants, Scope.channel(channel), "owner", "admin")) {
                throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to create a static room in channel '"
                        + channel + "': needs to be an owner or admin of the channel");
            }
        } else {
            Verdict verdict = channelAllows(session, grants, record, ChannelAction.CREATE);
            if (!verdict.passed()) {
                throw new DinoException(ErrorCode.NOT_ALLOWED,
                        "not allowed to create a room in channel '" + channel + "': needs " + verdict.failed());
            }
        }
        admin.names().valid("room", name, operator);
        if (kind == RoomKind.EPHEMERAL && !operator && ownedEphemeral(grants) >= maxEphemeral) {
            throw new DinoException(ErrorCode.TOO_MANY_OWNED_ROOMS,
                    "a user may own at most " + maxEphemeral + " ephemeral rooms");
        }
        Set<String> privateMembers = new HashSet<>(members);
        if (kind == RoomKind.PRIVATE) {
            privateMembers.add(session.user());
        }
        return admin.create(new RoomAdmin.NewRoom(Optional.empty(), channel, name, kind, capacity, topic, privateMembers,
                true, Set.of(session.user()), Set.of()), session.user(), operator);
    }

    /** Renames a room: operators, its owners, its channel's owners and admins. */
    public RoomRecord rename(Session session, String room, String name) {
        RoomRecord record = admin.room(room);
        requireManager(session, record, "rename");
        return admin.rename(room, name, session.principal().isOperator(), session.user());
    }

    /** Removes a room: operators, its owners, its channel's owners and admins. */
    public void remove(Session session, String room) {
        RoomRecord record = admin.room(room);
        requireManager(session, record, "remove");
        admin.removeRoom(room, session.user(), "");
    }

    /**
     * Replaces a room's access rules, as the backend's SetRoomAcl does (applied at once, cluster-wide): operators,
     * the room's owners, its channel's owners and admins; an open room's only by operators (it has no owners).
     */
    public Map<String, String> setAcl(Session session, String room, Map<String, String> rules) {
        Names.room(room);
        if (!session.principal().isOperator()) {
            requireManager(session, admin.room(room), "set the access rules of");
        }
        rooms.setRoomAcl(room, rules);
        return rooms.roomAcl(room);
    }

    /** A room's access rules, action → rule in canonical form (anyone may read them, as they decide who gets in). */
    public Map<String, String> acl(String room) {
        return rooms.roomAcl(room);
    }

    /** The access snapshot decides, as it does for the {@code rights} a join answers. */
    private void requireManager(Session session, RoomRecord room, String verb) {
        if (!call(() -> policy.rulesFor(session, room.id())).manages(session.principal())) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to " + verb + " room '" + room.id()
                    + "': needs to be an owner of the room or an owner or admin of its channel");
        }
    }

    /**
     * A room was removed: takes the session out, without a {@code left} event (every session in the room is being
     * taken out, each on its own thread: a {@code left} would reach some and not others), and tells it
     * {@code removed} with reason {@code room removed}. Runs on a thread of its own (the hub's).
     */
    private void takeOut(Session session, String room) {
        try {
            session.change(() -> {
                if (!session.isIn(room)) {
                    return null;
                }
                try {
                    rooms.leaveRoom(session, room, false);
                } finally {
                    if (!session.isIn(room)) {
                        hub.removed(session, new Event.Removed(room, "room removed"));
                    }
                }
                return null;
            });
        } catch (DinoException e) {
            if (e.code() != ErrorCode.DISCONNECTED) {
                System.getLogger(UserRooms.class.getName()).log(System.Logger.Level.WARNING,
                        "taking session {0} out of removed room {1}: {2}", session.id(), room, e.getMessage());
            }
        }
    }

    private int ownedEphemeral(List<Grant> grants) {
        List<String> owned = grants.stream()
                .filter(grant -> grant.scope().kind() == Roles.ScopeKind.ROOM && grant.role().equals("owner"))
                .map(grant -> grant.scope().id())
                .toList();
        if (owned.isEmpty()) {
            return 0;
        }
        return (int) call(() -> directory.rooms(owned)).values().stream().filter(room -> room.kind() == RoomKind.EPHEMERAL).count();
    }

    private List<Grant> grantsOf(Session session) {
        return call(() -> roles.grantsOf(List.of(session.user()))).getOrDefault(session.user(), List.of());
    }

    private static boolean holds(List<Grant> grants, Scope scope, String... anyOf) {
        for (Grant grant : grants) {
            if (grant.scope().equals(scope) && List.of(anyOf).contains(grant.role())) {
                return true;
            }
        }
        return false;
    }

    /** The channel's rule for the action, the user's stored channel roles visible as {@code channel-owner}/{@code channel-admin}. */
    private static Verdict channelAllows(Session session, List<Grant> grants, ChannelRecord channel, ChannelAction action) {
        Set<String> context = new HashSet<>();
        for (Grant grant : grants) {
            if (grant.scope().equals(Scope.channel(channel.id()))) {
                context.add("channel-" + grant.role());
            }
        }
        ChannelAcl acl;
        try {
            acl = ChannelAcl.parse(channel.rules());
        } catch (IllegalArgumentException e) {
            throw new DinoException(ErrorCode.INTERNAL, "the access rules of channel '" + channel.id() + "' cannot be read: " + e.getMessage());
        }
        return acl.check(new AclSubject(session.principal(), context, false, false), action);
    }
}
