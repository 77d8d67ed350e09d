package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Audience;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.RoomFullException;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.events.EventType;
import io.dino.gateway.ops.GatewayMetrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/**
 * Rooms as sessions and backends use them: join, leave, members, a room's history and access rules. Every
 * room operation of a session passes the {@link RoomPolicy}; backend operations are trusted and do not.
 */
public final class RoomOperations {

    /** Rooms one backend call may name in {@link #membersOfRooms(List)}, and users in {@link #roomsOfUsers(List)}. */
    public static final int MAX_ROOMS_PER_CALL = 100;

    /**
     * Result of a join: where the room's log stands now, who is in the room, and, when the client said
     * where it stopped, what it missed since; what the room is ({@code kind}: open, static, ephemeral, private;
     * its channel; its name when registered), its owners and what the joiner may do there (sorted).
     */
    public record JoinResult(String room, Position position, List<String> members, Optional<Recovery> recovery,
                             String kind, String channel, Optional<String> name, List<String> owners, List<String> rights) {
    }

    private final Broker broker;
    private final PresenceStore presence;
    private final Rooms rooms;
    private final Hub hub;
    private final RoomPolicy policy;
    private final HistoryPages pages;
    private final GatewayConfig.Limits limits;
    private final GatewayMetrics metrics;
    private final Happenings happenings;

    RoomOperations(Broker broker, PresenceStore presence, Rooms rooms, Hub hub, RoomPolicy policy, HistoryPages pages,
                   GatewayConfig config, GatewayMetrics metrics, Happenings happenings) {
        this.happenings = happenings;
        this.broker = broker;
        this.presence = presence;
        this.rooms = rooms;
        this.hub = hub;
        this.policy = policy;
        this.pages = pages;
        this.limits = config.limits();
        this.metrics = metrics;
        hub.onRemoval(this::removeForAccess);
        hub.onVisibilityChange(this::visibilityChanged);
    }

    public JoinResult join(Session session, String room, Optional<Position> since) {
        Names.room(room);
        return session.change(() -> {
            if (session.clearTakenOut(room) && session.isIn(room)) {
                leaveRoom(session, room, false);  // a kick or ban is taking the session out: that comes first
            }
            return session.isIn(room) ? rejoin(session, room, since) : enterRoom(session, room, since);
        });
    }

    /** Joins the room named so in the channel (the default one when empty); the result's {@code room} is its id. */
    public JoinResult joinByName(Session session, Optional<String> channel, String name, Optional<Position> since) {
        if (name == null || name.isBlank()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "name must not be empty");
        }
        return join(session, call(() -> policy.roomNamed(channel, name.trim())), since);
    }

    /**
     * Presence, interest, position, members and recovery in one engine step, between two looks at the
     * room's join rule: before (a refused user causes no joined event) and after (the node now holds the
     * room, so later changes reach it through the control plane; a change made between the first look and
     * entering is caught here, and the session leaves again).
     */
    private JoinResult enterRoom(Session session, String room, Optional<Position> since) {
        if (session.roomCount() >= limits.maxRoomsPerSession()) {
            throw new DinoException(ErrorCode.TOO_MANY_ROOMS,
                    "a session may be in at most " + limits.maxRoomsPerSession() + " rooms");
        }
        boolean operator = session.principal().isOperator();
        RoomRules before = call(() -> policy.authorizeJoin(session, room));
        // capacity and membership events as the snapshot says: no engine read of their own
        int capacity = operator ? 0 : before.capacity();
        boolean hidden = hub.isInvisible(session.user());
        boolean[] first = new boolean[1];
        // a recovery leaves out the room's deleted messages: their read shares the join's first round trip
        java.util.function.Supplier<io.dino.gateway.engine.Tombstones.Deletions> deletions = since.isPresent()
                ? pages.deletionsOf(LogId.room(room)) : () -> io.dino.gateway.engine.Tombstones.Deletions.NONE;
        Rooms.Entered entered;
        try {
            entered = call(() -> hub.addToRoom(room, session, subscribe -> {
                first[0] = subscribe;
                return rooms.enter(room, session.ref(), subscribe, since, pages.recoveryLimit(), hidden, capacity,
                        before.membershipEvents());
            }));
        } catch (RoomFullException e) {
            throw new DinoException(ErrorCode.ROOM_FULL, e.getMessage());
        }
        session.rooms().add(room);
        if (first[0]) {
            policy.invalidate(room);  // anything cached while the node did not hold the room may be stale
        }
        RoomRules rules;
        try {
            // read in the channel the first look found: one round trip when not cached
            rules = call(() -> policy.held(room, before.channel()));
            if (!operator) {
                RoomPolicy.require(policy.subject(session, rules), rules, RoomAction.JOIN, room);
            }
            policy.requireNotBanned(session, rules);
        } catch (DinoException refused) {
            try {
                leaveRoom(session, room);
            } catch (DinoException e) {
                refused.addSuppressed(e);
            }
            throw refused;
        }
        happenings.emit(EventType.JOINED, room, session.user(), "", Map.of("session", session.id()));
        List<String> members = operator || entered.hidden().isEmpty()
                ? entered.members()
                : entered.members().stream().filter(m -> m.equals(session.user()) || !entered.hidden().contains(m)).toList();
        io.dino.gateway.engine.Tombstones.Deletions deleted = call(deletions::get);
        return result(session, rules, entered.top(), members,
                entered.recovery().map(recovery -> pages.bounded(HistoryPages.withoutDeleted(recovery, deleted))));
    }

    private JoinResult result(Session session, RoomRules rules, Position top, List<String> members, Optional<Recovery> recovery) {
        return new JoinResult(rules.room(), top, members, recovery, rules.kind(), rules.channel(), rules.name(),
                rules.owners(), rules.rights(policy.subject(session, rules)));
    }

    /** A join of a room the session is already in changes nothing; it reads where the room stands. */
    private JoinResult rejoin(Session session, String room, Optional<Position> since) {
        LogId log = LogId.room(room);
        Optional<Recovery> recovery = since.map(position -> pages.recover(log, position));
        Position top = recovery.map(Recovery::top).orElseGet(() -> call(() -> broker.top(log)));
        return result(session, call(() -> policy.held(room)), top, membersSeenBy(session, room), recovery);
    }

    public void leave(Session session, String room) {
        Names.room(room);
        session.change(() -> {
            leaveRoom(session, room, true, LEAVE);
            return null;
        });
    }

    /** Takes the session out of the room, telling the room when it was the user's last session there. */
    void leaveRoom(Session session, String room) {
        leaveRoom(session, room, true);
    }

    /**
     * As {@link #leaveRoom(Session, String)}; {@code announce} false leaves without a {@code left} event (a removed
     * room: everyone in it is being taken out, and a {@code left} would reach some of them and not others).
     */
    void leaveRoom(Session session, String room, boolean announce) {
        leaveRoom(session, room, announce, null);
    }

    /** Why a session left, as the {@code left} domain event says (docs/events.md). */
    static final String LEAVE = "leave";
    static final String DISCONNECT = "disconnect";
    static final String REMOVED = "removed";

    /**
     * As {@link #leaveRoom(Session, String, boolean)}, emitting a {@code left} domain event with {@code reason} when
     * the session is out of the room (whatever the engine then does); {@code reason} null: none (the session was
     * taken out by an action whose own event says so: a kick, a room removal, a refused join that never emitted
     * {@code joined}).
     */
    void leaveRoom(Session session, String room, boolean announce, String reason) {
        if (!session.isIn(room)) {
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "not in room '" + room + "'");
        }
        // read while the node holds the room (cached); a room without membership events announces no leave
        boolean announced = announce && membershipEvents(room);
        session.clearTakenOut(room);  // whatever takes it out: a kick's or ban's removal still to come has nothing to do
        session.rooms().remove(room);
        if (reason != null) {
            happenings.emit(EventType.LEFT, room, session.user(), "", Map.of("session", session.id(), "reason", reason));
        }
        removeFromHub(room, session);
        Audience audience = hub.isInvisible(session.user()) ? Audience.OPERATORS : Audience.EVERYONE;
        if (call(() -> presence.leave(room, session.ref())) && announced) {
            run(() -> broker.announceMembership(room, session.user(), false, audience));
        }
    }

    /** Whether the room's members hear of leaves: from the cached snapshot; announced when it cannot be read. */
    private boolean membershipEvents(String room) {
        try {
            return policy.held(room).membershipEvents();
        } catch (DinoException | EngineUnavailableException e) {
            return true;  // a leave must not fail for this; telling of one leave too many is the lesser harm
        }
    }

    /** The hub always forgets the session; if the engine could not drop its interest, it reconciles later. */
    private void removeFromHub(String room, Session session) {
        try {
            hub.removeFromRoom(room, session);
        } catch (EngineUnavailableException e) {
            // the local side is already updated; interest is re-checked by the engine
        }
    }

    /** A room's members as the backend sees them: everyone, invisible users included. */
    public List<String> members(String room) {
        Names.room(room);
        return call(() -> presence.members(room));
    }

    /**
     * The members of each room, as the backend sees them (invisible users included): one entry per distinct
     * room, in the order asked; 1-{@value #MAX_ROOMS_PER_CALL} rooms.
     */
    public Map<String, List<String>> membersOfRooms(List<String> rooms) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(rooms));
        if (distinct.isEmpty() || distinct.size() > MAX_ROOMS_PER_CALL) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "rooms must name 1-" + MAX_ROOMS_PER_CALL + " rooms");
        }
        distinct.forEach(Names::room);
        return call(() -> presence.membersOfRooms(distinct));
    }

    /**
     * For each user, the rooms any of the user's sessions is in, cluster-wide, as the backend sees them (hidden
     * memberships included): one entry per distinct user, in the order asked; 1-{@value #MAX_ROOMS_PER_CALL} users.
     */
    public Map<String, List<String>> roomsOfUsers(List<String> users) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(users));
        if (distinct.isEmpty() || distinct.size() > MAX_ROOMS_PER_CALL) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "users must name 1-" + MAX_ROOMS_PER_CALL + " users");
        }
        distinct.forEach(Names::user);
        return call(() -> presence.roomsOfUsers(distinct));
    }

    /** The rooms this session is in, sorted (its own state: no engine call, no rule to pass). */
    public List<String> rooms(Session session) {
        return session.rooms().stream().sorted().toList();
    }

    /** A room's members as a session sees them: invisible users only for operators (and for the user itself). */
    public List<String> members(Session viewer, String room) {
        Names.room(room);
        authorize(viewer, RoomAction.MEMBERS, room);
        return membersSeenBy(viewer, room);
    }

    private List<String> membersSeenBy(Session viewer, String room) {
        if (viewer.principal().isOperator()) {
            return call(() -> presence.members(room));
        }
        List<String> visible = call(() -> presence.visibleMembers(room));
        if (hub.isInvisible(viewer.user()) && viewer.isIn(room) && !visible.contains(viewer.user())) {
            List<String> withSelf = new ArrayList<>(visible);
            withSelf.add(viewer.user());
            withSelf.sort(null);
            return withSelf;
        }
        return visible;
    }

    /**
     * A user with sessions on this node became invisible or visible again: in each room of those sessions, mark
     * the user hidden or not; the node whose mark changed it (several nodes may hold the user's sessions in one
     * room) tells the room's other users: {@code left} on going invisible, {@code joined} on coming back.
     */
    private void visibilityChanged(String user, boolean hidden, Set<String> userRooms) {
        for (String room : userRooms) {
            try {
                if (presence.setHidden(room, user, hidden)) {
                    broker.announceMembership(room, user, !hidden, Audience.NON_OPERATORS);
                }
            } catch (EngineUnavailableException e) {
                // nothing retries this: make it visible; the next status change or rejoin corrects the room
                System.getLogger(RoomOperations.class.getName()).log(System.Logger.Level.WARNING,
                        "could not {0} user {1} in room {2}: {3}", hidden ? "hide" : "show", user, room, e.getMessage());
                metrics.visibilityFailed();
            }
        }
    }

    /** A page of a room's log, for a backend (trusted). */
    public HistoryPages.HistoryResult history(String room, int limit, OptionalLong before, OptionalLong after) {
        return pages.page(LogId.room(Names.room(room)), limit, before, after);
    }

    /** A page of a room's log, for a session: the room's {@code history} rule applies. */
    public HistoryPages.HistoryResult history(Session session, String room, int limit, OptionalLong before, OptionalLong after) {
        Names.room(room);
        authorize(session, RoomAction.HISTORY, room);
        return pages.page(LogId.room(room), limit, before, after);
    }

    /**
     * Takes a session out of a room whose rules it no longer passes (a change arrived through the control
     * plane; runs on a thread of its own): the room's members see {@code left} as for a leave, the session
     * gets {@code removed}. Rules read again first: a later change may have let the session back in.
     */
    private void removeForAccess(Session session, String room) {
        try {
            session.change(() -> {
                if (!session.isIn(room) || stillAdmitted(session, policy.held(room))) {
                    return null;
                }
                try {
                    leaveRoom(session, room, true, REMOVED);
                } finally {
                    // leaveRoom takes the session out here first; if the engine failed after that, the session
                    // is still out of the room (presence is reconciled by the engine), so it is told either way
                    if (!session.isIn(room)) {
                        hub.removed(session, new Event.Removed(room, "access changed"));
                    }
                }
                return null;
            });
        } catch (DinoException e) {
            if (e.code() != ErrorCode.DISCONNECTED) {  // closed meanwhile: its close left every room
                System.getLogger(RoomOperations.class.getName()).log(System.Logger.Level.WARNING,
                        "taking session {0} out of room {1} after its access rules changed: {2}",
                        session.id(), room, e.getMessage());
            }
        }
    }

    private boolean stillAdmitted(Session session, RoomRules rules) {
        return rules.check(policy.subject(session, rules), RoomAction.JOIN).passed();
    }

    /**
     * Replaces a room's access rules (action id → rule; a blank rule or an absent action means none) and
     * applies them at once, cluster-wide: every node holding members of the room drops its cached rules
     * and takes out the sessions that no longer pass {@code join}. Returns how many sessions are being
     * removed. Invalid actions or rules are refused with INVALID_VALUE and the parser's message.
     */
    public int setRoomAcl(String room, Map<String, String> rules) {
        Names.room(room);
        RoomAcl acl;
        try {
            acl = RoomAcl.parse(rules);
        } catch (IllegalArgumentException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, e.getMessage());
        }
        return call(() -> {
            policy.store(room, acl);
            // with the rules: holders count the sessions to remove without a read on their delivery thread
            // (sessions_removed); everything else that changes a room's access sends RoomRulesChanged
            return broker.control(LogId.room(room), new Control.RoomAclChanged(room, acl.texts()));
        });
    }

    /** A room's access rules, action id → rule in canonical form; empty when it has none. */
    public Map<String, String> roomAcl(String room) {
        Names.room(room);
        return call(() -> policy.stored(room));
    }

    private void authorize(Session session, RoomAction action, String room) {
        run(() -> policy.authorize(session, action, room));
    }
}
