package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Audience;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.UserPresence;
import io.dino.gateway.engine.UserStatus;
import io.dino.gateway.ops.GatewayMetrics;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Every operation a client session or a backend service can perform, in one place, so both edges
 * apply the same rules: validate, check membership and limits, then change shared state through
 * the engine. Every room operation of a session passes the {@link RoomPolicy} (access rules);
 * backend operations are trusted and do not. Errors are {@link DinoException}s; engine failures
 * become UNAVAILABLE, never success.
 */
public final class Operations {

    /**
     * Result of a join: where the room's log stands now, who is in the room, and, when the client said
     * where it stopped, what it missed since.
     */
    public record JoinResult(String room, Position position, List<String> members, Optional<Recovery> recovery) {
    }

    /** Result of opening a session: the session, and its inbox position with what it missed, if asked. */
    public record Opened(Session session, Position inbox, Optional<Recovery> recovery) {
    }

    /**
     * A page of a log (a room's, or the caller's inbox), oldest first, and where the log stands;
     * {@code truncated} when the page holds fewer messages than asked for because of max-reply-bytes.
     */
    public record HistoryResult(LogId log, Position position, List<Publication> messages, boolean truncated) {
    }

    private final String nodeId;
    private final Broker broker;
    private final PresenceStore presence;
    private final Rooms rooms;
    private final Hub hub;
    private final RoomPolicy policy;
    private final GatewayConfig.Limits limits;
    private final GatewayConfig.History history;
    private final GatewayConfig.Presence presenceRules;
    private final GatewayMetrics metrics;
    private final InstantSource clock;

    public Operations(String nodeId, Broker broker, PresenceStore presence, Rooms rooms, Hub hub, RoomPolicy policy,
                      GatewayConfig config, GatewayMetrics metrics, InstantSource clock) {
        this.nodeId = nodeId;
        this.broker = broker;
        this.presence = presence;
        this.rooms = rooms;
        this.hub = hub;
        this.policy = policy;
        hub.onRemoval(this::removeForAccess);
        this.limits = config.limits();
        this.history = config.history();
        this.presenceRules = config.presence();
        this.metrics = metrics;
        this.clock = clock;
        hub.onVisibilityChange(this::visibilityChanged);
    }

    // ---- sessions

    /**
     * Opens a session. The node subscribes to the user's inbox before reading what was missed, so a message
     * published meanwhile arrives live or in the recovery (perhaps both: clients drop repeats by offset).
     */
    public Opened open(Principal principal, Outbound outbound, Optional<Position> inboxSince) {
        Session session = new Session(new SessionRef(nodeId, Ids.next(clock.millis()), principal.user()), principal, outbound);
        boolean first = engine(() -> presence.connect(session.ref()));
        LogId inbox = LogId.user(principal.user());
        try {
            engine(() -> {
                hub.add(session);
                return null;
            });
            if (!first) {
                // the user's status outlives this session's connect only if the user was online already
                UserStatus status = engine(() -> presence.presence(List.of(principal.user()))).getFirst().status();
                hub.statusKnown(principal.user(), status == UserStatus.INVISIBLE);
            }
            if (presenceRules.singleSession()) {
                // after hub.add, so this node's older sessions get the command too; the new one is not older than itself
                engine(() -> broker.control(inbox, new Control.ReplaceSessions(principal.user(), session.id())));
            }
            Optional<Recovery> recovery = inboxSince.map(since -> bounded(engine(() -> broker.recover(inbox, since, history.recoveryLimit()))));
            Position top = recovery.map(Recovery::top).orElseGet(() -> engine(() -> broker.top(inbox)));
            return new Opened(session, top, recovery);
        } catch (DinoException e) {
            close(session);
            throw e;
        }
    }

    /**
     * Removes a closed session everywhere: its rooms (with leave events), the hub, presence. Runs once per
     * session, whichever thread gets here first; commands that arrive later are refused.
     */
    public void close(Session session) {
        session.close(() -> {
            for (String room : List.copyOf(session.rooms())) {
                try {
                    leaveRoom(session, room);
                } catch (DinoException e) {
                    // the engine is down: the session is gone regardless; the engine reconciles presence later
                }
            }
            try {
                hub.remove(session);
            } catch (EngineUnavailableException e) {
                // as above: the hub forgot the session, only the engine's interest remains to reconcile
            }
            try {
                presence.disconnect(session.ref());
            } catch (EngineUnavailableException ignored) {
                // as above
            }
        });
    }

    // ---- rooms

    public JoinResult join(Session session, String room, Optional<Position> since) {
        Names.room(room);
        return session.change(() -> session.isIn(room) ? rejoin(session, room, since) : enterRoom(session, room, since));
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
        engine(() -> {
            policy.authorize(session, RoomAction.JOIN, room);
            return null;
        });
        boolean hidden = hub.isInvisible(session.user());
        boolean[] first = new boolean[1];
        Rooms.Entered entered = engine(() -> hub.addToRoom(room, session, subscribe -> {
            first[0] = subscribe;
            return rooms.enter(room, session.ref(), subscribe, since, history.recoveryLimit(), hidden);
        }));
        session.rooms().add(room);
        if (!session.principal().isOperator()) {
            if (first[0]) {
                policy.invalidate(room);  // anything cached while the node did not hold the room may be stale
            }
            try {
                RoomPolicy.require(session.principal(), engine(() -> policy.held(room)), RoomAction.JOIN, room);
            } catch (DinoException refused) {
                try {
                    leaveRoom(session, room);
                } catch (DinoException e) {
                    refused.addSuppressed(e);
                }
                throw refused;
            }
        }
        List<String> members = session.principal().isOperator() || entered.hidden().isEmpty()
                ? entered.members()
                : entered.members().stream().filter(m -> m.equals(session.user()) || !entered.hidden().contains(m)).toList();
        return new JoinResult(room, entered.top(), members, entered.recovery().map(this::bounded));
    }

    /** A join of a room the session is already in changes nothing; it reads where the room stands. */
    private JoinResult rejoin(Session session, String room, Optional<Position> since) {
        LogId log = LogId.room(room);
        Optional<Recovery> recovery = since.map(position -> bounded(engine(() -> broker.recover(log, position, history.recoveryLimit()))));
        Position top = recovery.map(Recovery::top).orElseGet(() -> engine(() -> broker.top(log)));
        return new JoinResult(room, top, membersSeenBy(session, room), recovery);
    }

    public void leave(Session session, String room) {
        Names.room(room);
        session.change(() -> {
            leaveRoom(session, room);
            return null;
        });
    }

    private void leaveRoom(Session session, String room) {
        if (!session.rooms().remove(room)) {
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "not in room '" + room + "'");
        }
        removeFromHub(room, session);
        Audience audience = hub.isInvisible(session.user()) ? Audience.OPERATORS : Audience.EVERYONE;
        if (engine(() -> presence.leave(room, session.ref()))) {
            engine(() -> {
                broker.announceMembership(room, session.user(), false, audience);
                return null;
            });
        }
    }

    /** A room's members as the backend sees them: everyone, invisible users included. */
    public List<String> members(String room) {
        Names.room(room);
        return engine(() -> presence.members(room));
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
        return engine(() -> presence.membersOfRooms(distinct));
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
        return engine(() -> presence.roomsOfUsers(distinct));
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
            return engine(() -> presence.members(room));
        }
        List<String> visible = engine(() -> presence.visibleMembers(room));
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
    private void visibilityChanged(String user, boolean hidden, java.util.Set<String> userRooms) {
        for (String room : userRooms) {
            try {
                if (presence.setHidden(room, user, hidden)) {
                    broker.announceMembership(room, user, !hidden, Audience.NON_OPERATORS);
                }
            } catch (EngineUnavailableException e) {
                // nothing retries this: make it visible; the next status change or rejoin corrects the room
                System.getLogger(Operations.class.getName()).log(System.Logger.Level.WARNING,
                        "could not {0} user {1} in room {2}: {3}", hidden ? "hide" : "show", user, room, e.getMessage());
                metrics.visibilityFailed();
            }
        }
    }

    /** A page of a room's log, for a backend (trusted); see {@link #history(LogId, int, OptionalLong, OptionalLong)}. */
    public HistoryResult history(String room, int limit, OptionalLong before, OptionalLong after) {
        return history(LogId.room(Names.room(room)), limit, before, after);
    }

    /** A page of a room's log, for a session: the room's {@code history} rule applies. */
    public HistoryResult history(Session session, String room, int limit, OptionalLong before, OptionalLong after) {
        Names.room(room);
        authorize(session, RoomAction.HISTORY, room);
        return history(LogId.room(room), limit, before, after);
    }

    /**
     * Takes a session out of a room whose rules it no longer passes (a change arrived through the control
     * plane; runs on a thread of its own): the room's members see {@code left} as for a leave, the session
     * gets {@code removed}. Rules read again first: a later change may have let the session back in.
     */
    private void removeForAccess(Session session, String room) {
        try {
            session.change(() -> {
                if (!session.isIn(room) || policy.held(room).check(session.principal(), RoomAction.JOIN).passed()) {
                    return null;
                }
                try {
                    leaveRoom(session, room);
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
                java.util.logging.Logger.getLogger(Operations.class.getName()).log(java.util.logging.Level.WARNING,
                        "taking session {0} out of room {1} after its access rules changed: {2}",
                        new Object[]{session.id(), room, e.getMessage()});
            }
        }
    }

    // ---- access rules (backend)

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
        return engine(() -> {
            policy.store(room, acl);
            return broker.control(LogId.room(room), new Control.RoomAclChanged(room, acl.texts()));
        });
    }

    /** A room's access rules, action id → rule in canonical form; empty when it has none. */
    public Map<String, String> roomAcl(String room) {
        Names.room(room);
        return engine(() -> policy.stored(room));
    }

    private void authorize(Session session, RoomAction action, String room) {
        engine(() -> {
            policy.authorize(session, action, room);
            return null;
        });
    }

    /** A page of the session user's inbox (private messages and notifications). */
    public HistoryResult inboxHistory(Session session, int limit, OptionalLong before, OptionalLong after) {
        return history(LogId.user(session.user()), limit, before, after);
    }

    /**
     * A page of a log: the latest messages, or those before or after an offset (for paging back and
     * forth); oldest first. The position is the log's latest.
     */
    private HistoryResult history(LogId log, int limit, OptionalLong before, OptionalLong after) {
        if (limit < 1 || limit > history.maxLimit()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "limit must be 1-" + history.maxLimit());
        }
        if (before.isPresent() && after.isPresent()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give before or after, not both");
        }
        Broker.Page page = engine(() -> after.isPresent()
                ? broker.pageAfter(log, after.getAsLong(), limit)
                : broker.pageBefore(log, before.orElse(Long.MAX_VALUE), limit));
        List<Publication> messages = page.messages();
        // paging back keeps the newest messages of the page, paging forward the oldest: either way the
        // client's next page (before the first, after the last) continues without a gap
        int kept = after.isPresent() ? fittingFromStart(messages) : fittingFromEnd(messages);
        List<Publication> fitting = after.isPresent()
                ? messages.subList(0, kept)
                : messages.subList(messages.size() - kept, messages.size());
        return new HistoryResult(log, page.top(), fitting, kept < messages.size());
    }

    /**
     * A recovery whose messages would make a reply larger than max-reply-bytes answers recovered: false, as a
     * gap beyond the recovery limit does: the client then pages the history, which is cut to size.
     */
    private Recovery bounded(Recovery recovery) {
        return fittingFromStart(recovery.missed()) < recovery.missed().size() ? Recovery.notRecovered(recovery.top()) : recovery;
    }

    /** How many of the first messages fit in one reply. */
    private int fittingFromStart(List<Publication> messages) {
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            bytes += Utf8.length(messages.get(i).bodyJson());
            if (bytes > limits.maxReplyBytes()) {
                return i;
            }
        }
        return messages.size();
    }

    /** How many of the last messages fit in one reply. */
    private int fittingFromEnd(List<Publication> messages) {
        long bytes = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            bytes += Utf8.length(messages.get(i).bodyJson());
            if (bytes > limits.maxReplyBytes()) {
                return messages.size() - 1 - i;
            }
        }
        return messages.size();
    }

    public int defaultHistoryLimit() {
        return history.defaultLimit();
    }

    /** The hub always forgets the session; if the engine could not drop its interest, it reconciles later. */
    private void removeFromHub(String room, Session session) {
        try {
            hub.removeFromRoom(room, session);
        } catch (EngineUnavailableException e) {
            // the local side is already updated; interest is re-checked by the engine
        }
    }

    // ---- messages from sessions

    /**
     * Publishes to a room the session is in. Without {@code echo}, the sending session does not receive the
     * message live (its other sessions and everyone else do); the id is registered before the publish because
     * the memory engine delivers while publishing.
     */
    public Publication sendToRoom(Session session, String room, String bodyJson, boolean echo) {
        Names.room(room);
        if (!session.isIn(room)) {
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' before sending to it");
        }
        authorize(session, RoomAction.MESSAGE, room);  // from the node's cache: the session is in the room
        checkBody(bodyJson);
        Draft draft = draft(session.user(), bodyJson, "");
        if (!echo) {
            session.skipEcho(draft.id());
        }
        return publish(LogId.room(room), draft);
    }

    public Publication sendPrivate(Session session, String recipient, String bodyJson) {
        Names.user(recipient);
        return publish(LogId.user(recipient), session.user(), bodyJson, "");
    }

    // ---- backend operations

    public Publication publishToRoom(String room, String sender, String bodyJson, String idempotencyKey) {
        Names.room(room);
        return publish(LogId.room(room), Names.sender(sender), bodyJson, idempotencyKey);
    }

    /** Publishes to each distinct user's inbox, in order; the idempotency key applies per user. */
    public List<Publication> publishToUsers(List<String> users, String sender, String bodyJson, String idempotencyKey) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>(users);
        distinct.forEach(Names::user);
        checkBody(bodyJson);
        String from = Names.sender(sender);
        java.util.LinkedHashMap<LogId, Draft> drafts = new java.util.LinkedHashMap<>();
        for (String user : distinct) {
            long now = clock.millis();
            drafts.put(LogId.user(user), new Draft(Ids.next(now), from, now, bodyJson, idempotencyKey));
        }
        long started = System.nanoTime();
        List<Publication> publications = engine(() -> broker.publishEach(drafts));
        metrics.published(System.nanoTime() - started);
        return publications;
    }

    public Publication broadcast(String sender, String bodyJson) {
        checkBody(bodyJson);
        long now = clock.millis();
        Publication publication = new Publication(Ids.next(now), null, Names.sender(sender), now, null, bodyJson);
        engine(() -> {
            broker.broadcast(publication);
            return null;
        });
        return publication;
    }

    /**
     * Closes every session of the user, on whichever nodes they are, with the disconnect event; returns once
     * every node holding one has closed them (or has been declared dead), with how many were closed.
     */
    public int disconnectUser(String user, String reason, boolean reconnect) {
        Names.user(user);
        Control.DisconnectUser command = new Control.DisconnectUser(user,
                reason.isBlank() ? "disconnected by the server" : reason, reconnect);
        return engine(() -> broker.control(LogId.user(user), command));
    }

    // ---- status and presence

    /** Most users one presence query may name. */
    public static final int MAX_PRESENCE_USERS = 100;
    /** Rooms one backend call may name in {@link #membersOfRooms(List)}, and users in {@link #roomsOfUsers(List)}. */
    public static final int MAX_ROOMS_PER_CALL = 100;

    /**
     * Sets the status of the session's user (all the user's sessions share it). {@code invisible} is for
     * operators, or for everyone with {@code dino.presence.invisible-for-all}.
     */
    public UserStatus setStatus(Session session, String status) {
        UserStatus parsed = settableStatus(status);
        if (parsed == UserStatus.INVISIBLE && !presenceRules.invisibleForAll() && !session.principal().isOperator()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "only operators may be invisible");
        }
        return session.change(() -> {
            applyStatus(session.user(), parsed);
            return parsed;
        });
    }

    /** Sets a user's status from the backend (any status, invisible included); NOT_ONLINE if the user has no session. */
    public UserStatus setStatus(String user, String status) {
        Names.user(user);
        UserStatus parsed = settableStatus(status);
        applyStatus(user, parsed);
        return parsed;
    }

    private void applyStatus(String user, UserStatus status) {
        if (!engine(() -> presence.setStatus(user, status))) {
            throw new DinoException(ErrorCode.NOT_ONLINE, "user '" + user + "' is not online");
        }
        engine(() -> broker.control(LogId.user(user), new Control.StatusChanged(user, status.wireName())));
    }

    private static UserStatus settableStatus(String status) {
        return UserStatus.ofWireName(status).filter(s -> s != UserStatus.OFFLINE).orElseThrow(() ->
                new DinoException(ErrorCode.INVALID_VALUE, "status must be online, away or invisible, got '" + status + "'"));
    }

    /**
     * Status and last-online time of up to {@link #MAX_PRESENCE_USERS} users, as a session may see them: an
     * invisible user is offline to everyone but operators and the user itself.
     */
    public List<UserPresence> presence(Session viewer, List<String> users) {
        if (users.isEmpty() || users.size() > MAX_PRESENCE_USERS) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "name 1-" + MAX_PRESENCE_USERS + " users");
        }
        users.forEach(Names::user);
        List<UserPresence> truth = engine(() -> presence.presence(users));
        if (viewer.principal().isOperator()) {
            return truth;
        }
        return truth.stream()
                .map(p -> p.status() == UserStatus.INVISIBLE && !p.user().equals(viewer.user())
                        ? new UserPresence(p.user(), UserStatus.OFFLINE, p.lastOnline())
                        : p)
                .toList();
    }

    /** Status and last-online time of users as they are (the backend is trusted: invisible users show as such). */
    public List<UserPresence> presence(List<String> users) {
        users.forEach(Names::user);
        return engine(() -> presence.presence(users));
    }

    public List<String> onlineUsers() {
        return engine(presence::onlineUsers);
    }

    public List<String> online(List<String> users) {
        users.forEach(Names::user);
        return engine(() -> presence.online(users));
    }

    // ----

    private Publication publish(LogId log, String sender, String bodyJson, String idempotencyKey) {
        checkBody(bodyJson);
        return publish(log, draft(sender, bodyJson, idempotencyKey));
    }

    private Draft draft(String sender, String bodyJson, String idempotencyKey) {
        long now = clock.millis();
        return new Draft(Ids.next(now), sender, now, bodyJson, idempotencyKey);
    }

    private Publication publish(LogId log, Draft draft) {
        long started = System.nanoTime();
        Publication publication = engine(() -> broker.publish(log, draft));
        metrics.published(System.nanoTime() - started);
        return publication;
    }

    private void checkBody(String bodyJson) {
        if (Utf8.length(bodyJson) > limits.maxMessageBytes()) {
            throw new DinoException(ErrorCode.MESSAGE_TOO_LARGE,
                    "the body is larger than " + limits.maxMessageBytes() + " bytes");
        }
    }

    private static <T> T engine(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineUnavailableException e) {
            throw new DinoException(ErrorCode.UNAVAILABLE, "the message store is unavailable; retry: " + e.getMessage());
        }
    }
}
