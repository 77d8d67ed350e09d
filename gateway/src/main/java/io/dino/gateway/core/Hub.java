package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.engine.Audience;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.ops.GatewayMetrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's sessions, by user and by room, and the fan-out of what the engine delivers.
 *
 * <p>The hub subscribes the node to a log when the first local session needs it and unsubscribes when
 * the last one goes. Changes for one key are serialized by a lock stripe (not the map's own bin lock,
 * as subscribing may be a network round trip), so a join and a leave racing on the same room cannot
 * leave the node subscribed without sessions or the reverse. Fan-out reads the maps without locks.
 */
public final class Hub implements DeliveryListener {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private final Broker broker;
    private final RoomPolicy policy;
    private final EventEncoder encoder;
    private final GatewayMetrics metrics;
    private final Map<String, Set<Session>> sessionsByRoom = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> sessionsByUser = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Users with sessions here who are invisible, as this node knows it: from the store when a session opens,
     * then from each {@link Control.StatusChanged}. Decides who sees a local session's join and leave.
     */
    private final Set<String> invisibleUsers = ConcurrentHashMap.newKeySet();
    /** Told when a user with sessions here became invisible or visible again, with the rooms of those sessions. */
    private volatile VisibilityListener visibilityListener = (user, hidden, rooms) -> { };

    /** What must happen when a user's visibility changes (hide or show the user in the rooms of its sessions). */
    public interface VisibilityListener {
        /** Runs on a thread of its own, off the delivery thread; may block on the engine. */
        void visibilityChanged(String user, boolean hidden, Set<String> rooms);
    }
    /** ReentrantLocks, not monitors: a virtual thread waiting on Redis inside must not pin its carrier (JDK 21). */
    private final ReentrantLock[] stripes = new ReentrantLock[256];
    /** Takes a session out of a room it no longer may be in (set once by {@link RoomOperations}; engine calls, so off the delivery thread). */
    private volatile BiConsumer<Session, String> removal = (session, room) -> { };
    /** Takes a session out of a room that was removed (set once by {@link RoomAdmin}; engine calls, so off the delivery thread). */
    private volatile BiConsumer<Session, String> roomRemoval = (session, room) -> { };
    /** Takes a kicked session out of a room (set once by {@link Moderation}; engine calls, so off the delivery thread). */
    private volatile BiConsumer<Session, String> kickRemoval = (session, room) -> { };

    public Hub(Broker broker, RoomPolicy policy, EventEncoder encoder, GatewayMetrics metrics) {
        this.broker = broker;
        this.policy = policy;
        this.encoder = encoder;
        this.metrics = metrics;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    void add(Session session) {
        sessions.add(session);
        addTo(sessionsByUser, session.user(), session, LogId.user(session.user()));
    }

    void remove(Session session) {
        sessions.remove(session);
        removeFrom(sessionsByUser, session.user(), session, LogId.user(session.user()), () -> { });
        if (!sessionsByUser.containsKey(session.user())) {
            invisibleUsers.remove(session.user());
        }
    }

    void onVisibilityChange(VisibilityListener listener) {
        this.visibilityListener = listener;
    }

    /** Records a local user's status as read from the store (when a session of a user already online opens). */
    void statusKnown(String user, boolean invisible) {
        if (invisible) {
            invisibleUsers.add(user);
        } else {
            invisibleUsers.remove(user);
        }
    }

    /** Whether a user with sessions on this node is invisible. */
    boolean isInvisible(String user) {
        return invisibleUsers.contains(user);
    }

    /**
     * Puts the session in the room here first, so that whatever the node delivers for the room from now on
     * reaches it, then lets the engine enter it ({@code enter} is told whether this is the room's first local
     * session, i.e. whether the node must subscribe); undone if the engine fails.
     */
    <T> T addToRoom(String room, Session session, Function<Boolean, T> enter) {
        ReentrantLock lock = stripe(room);
        lock.lock();
        try {
            Set<Session> members = sessionsByRoom.get(room);
            boolean first = members == null;
            if (first) {
                members = ConcurrentHashMap.newKeySet();
                sessionsByRoom.put(room, members);
            }
            members.add(session);
            try {
                return enter.apply(first);
            } catch (RuntimeException e) {
                members.remove(session);
                if (members.isEmpty()) {
                    sessionsByRoom.remove(room);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    void removeFromRoom(String room, Session session) {
        // no longer held: changes to its rules stop reaching this node, so its cached rules go
        removeFrom(sessionsByRoom, room, session, LogId.room(room), () -> policy.invalidate(room));
    }

    void onRemoval(BiConsumer<Session, String> removal) {
        this.removal = removal;
    }

    void onRoomRemoved(BiConsumer<Session, String> roomRemoval) {
        this.roomRemoval = roomRemoval;
    }

    /** What takes kicked and banned sessions out of a room (for a test that holds it back). */
    BiConsumer<Session, String> kickRemoval() {
        return kickRemoval;
    }

    void onKick(BiConsumer<Session, String> kickRemoval) {
        this.kickRemoval = kickRemoval;
    }

    /** Tells the session it was taken out of the room. */
    void removed(Session session, Event.Removed removed) {
        session.outbound().send(encoder.encode(removed));
        metrics.delivered(removed, 1);
    }

    /** Sessions of a user on this node. */
    List<Session> sessionsOf(String user) {
        Set<Session> userSessions = sessionsByUser.get(user);
        return userSessions == null ? List.of() : List.copyOf(userSessions);
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Distinct users with sessions on this node. */
    public int userCount() {
        return sessionsByUser.size();
    }

    /** Rooms with at least one session on this node. */
    public int roomCount() {
        return sessionsByRoom.size();
    }

    /** The rooms with at least one session on this node, sorted (a snapshot). */
    public List<String> roomNames() {
        return sessionsByRoom.keySet().stream().sorted().toList();
    }

    /** The sessions of a user on this node, for operators (the admin console); oldest first. */
    public List<Session> sessionsOfUser(String user) {
        return sessionsOf(user).stream().sorted(java.util.Comparator.comparingLong(Session::openedAt)).toList();
    }

    /** A snapshot of this node's sessions, for operators (the admin console); oldest first. */
    public List<Session> sessions() {
        return sessions.stream().sorted(java.util.Comparator.comparingLong(Session::openedAt).thenComparing(Session::id)).toList();
    }

    @Override
    public void onPublication(Publication publication) {
        LogId log = publication.log();
        if (log.isRoom()) {
            fanOut(sessionsByRoom.get(log.name()), new Event.RoomMessage(publication), publication.id());
        } else {
            fanOut(sessionsByUser.get(log.name()), new Event.PrivateMessage(publication), null);
        }
    }

    @Override
    public void onBroadcast(Publication publication) {
        fanOut(sessions, new Event.BroadcastMessage(publication), null);
    }

    @Override
    public void onMembership(String room, String user, boolean joined, Audience audience) {
        Set<Session> members = sessionsByRoom.get(room);
        Event.Membership event = new Event.Membership(room, user, joined);
        if (audience == Audience.EVERYONE) {
            fanOut(members, event, null);
            return;
        }
        if (members == null || members.isEmpty()) {
            return;
        }
        // an invisible user's joins and leaves: operators (and the user's own sessions) see them, others do not
        boolean forOperators = audience == Audience.OPERATORS;
        String frame = null;
        int delivered = 0;
        for (Session member : members) {
            boolean sees = member.principal().isOperator() || member.user().equals(user) ? forOperators : !forOperators;
            if (sees) {
                frame = frame == null ? encoder.encode(event) : frame;
                member.outbound().send(frame);
                delivered++;
            }
        }
        metrics.delivered(event, delivered);
    }

    @Override
    public int onControl(Control command) {
        return switch (command) {
            case Control.DisconnectUser disconnect -> {
                List<Session> closed = sessionsOf(disconnect.user());
                Event.Disconnect event = new Event.Disconnect(ErrorCode.DISCONNECTED, disconnect.reason(), disconnect.reconnect());
                closed.forEach(session -> disconnect(session, event));
                yield closed.size();
            }
            case Control.RoomAclChanged changed -> accessChanged(changed);
            case Control.RoomRulesChanged changed -> recheck(changed.room());
            case Control.RoomRenamed renamed -> {
                Set<Session> members = sessionsByRoom.get(renamed.room());
                fanOut(members, new Event.Renamed(renamed.room(), renamed.name()), null);
                yield members == null ? 0 : members.size();
            }
            case Control.RoomRemoved removed -> roomRemoved(removed.room());
            case Control.KickUser kick -> kicked(kick);
            case Control.OperatorSessions count -> (int) sessionsOf(count.user()).stream().filter(s -> s.principal().isOperator()).count();
            case Control.ReplaceSessions replace -> {
                Event.Disconnect event = new Event.Disconnect(ErrorCode.REPLACED, "logged in elsewhere", false);
                int closed = 0;
                for (Session session : sessionsOf(replace.user())) {
                    if (session.id().compareTo(replace.newest()) < 0) {
                        disconnect(session, event);
                        closed++;
                    }
                }
                yield closed;
            }
            case Control.StatusChanged changed -> {
                Set<Session> own = sessionsByUser.get(changed.user());
                if (own == null) {
                    yield 0;
                }
                boolean invisible = changed.status().equals("invisible");
                boolean wasInvisible = invisible ? !invisibleUsers.add(changed.user()) : invisibleUsers.remove(changed.user());
                fanOut(own, new Event.Status(changed.user(), changed.status()), null);
                if (invisible != wasInvisible) {
                    Set<String> rooms = new java.util.HashSet<>();
                    own.forEach(session -> rooms.addAll(session.rooms()));
                    if (!rooms.isEmpty()) {
                        VisibilityListener listener = visibilityListener;
                        // the store and the announcements are round trips: not on the delivering thread
                        Thread.ofVirtual().name("dino-visibility").start(() -> listener.visibilityChanged(changed.user(), invisible, rooms));
                    }
                }
                yield own.size();
            }
            case Control.Receipt receipt -> {
                Set<Session> told = receipt.log().isRoom() ? sessionsByRoom.get(receipt.log().name()) : sessionsByUser.get(receipt.to());
                fanOut(told, new Event.Receipt(receipt.log(), receipt.user(), receipt.kind(), receipt.epoch(), receipt.offset(),
                        receipt.ids()), null);
                yield told == null ? 0 : told.size();
            }
            case Control.DeletionsChanged changed -> {
                Set<Session> members = sessionsByRoom.get(changed.room());
                fanOut(members, new Event.Deletion(changed.room(), changed.by(), changed.ids(), changed.user(), changed.all(),
                        changed.upTo(), changed.restored()), null);
                yield members == null ? 0 : members.size();
            }
            case Control.BanUser ban -> banned(ban);
            case Control.BanUserGlobally ban -> {
                List<Session> closed = sessionsOf(ban.user());
                Event.Disconnect event = new Event.Disconnect(ErrorCode.BANNED, ban.reason(), false, ban.until());
                closed.forEach(session -> disconnect(session, event));
                yield closed.size();
            }
            case Control.SanctionsChanged changed -> {
                policy.invalidate(changed.room());
                yield 0;
            }
            case Control.MuteUser mute -> {
                policy.invalidate(mute.room());
                Set<Session> members = sessionsByRoom.get(mute.room());
                fanOut(members, new Event.Muted(mute.room(), mute.user(), mute.by(), mute.reason(), mute.until(), mute.muted()), null);
                yield members == null ? 0 : members.size();
            }
            case Control.UnbanUser unban -> {
                Set<Session> own = sessionsByUser.get(unban.user());
                fanOut(own, new Event.Unbanned(unban.user(), unban.scope(), unban.target()), null);
                yield own == null ? 0 : own.size();
            }
            case Control.RevokeTokens revoked -> tokensRevoked(revoked);
        };
    }

    /** Closes the user's local sessions whose token the revocation covers (TOKEN_REVOKED, no reconnect). */
    private int tokensRevoked(Control.RevokeTokens revoked) {
        Revocations.Revocation revocation = new Revocations.Revocation(revoked.tokenId(), revoked.issuedBefore(), java.time.Instant.MAX);
        Event.Disconnect event = new Event.Disconnect(ErrorCode.TOKEN_REVOKED, "the session's token was revoked", false);
        int closed = 0;
        for (Session session : sessionsOf(revoked.user())) {
            if (Revocations.revokes(revocation, session.principal().tokenId(), session.principal().issuedAt())) {
                disconnect(session, event);
                closed++;
            }
        }
        return closed;
    }

    /**
     * A user was banned from a room (or its channel): the room's cached snapshot goes (it holds the bans), every local
     * session in the room hears {@code banned}, and the user's sessions leave the room's fan-out at once and are taken
     * out as a kick takes them (engine calls: a virtual thread each). A ban that spares operators takes out nobody
     * here when one of the user's sessions here is an operator's (the room still hears it). Answers how many
     * sessions are taken out.
     */
    private int banned(Control.BanUser ban) {
        policy.invalidate(ban.room());
        Set<Session> members = sessionsByRoom.get(ban.room());
        if (members == null || members.isEmpty()) {
            return 0;
        }
        List<Session> banned = members.stream().filter(member -> member.user().equals(ban.user())).toList();
        boolean spared = ban.spareOperators() && banned.stream().anyMatch(member -> member.principal().isOperator());
        if (!spared) {
            banned.forEach(member -> member.markTakenOut(ban.room()));  // before they hear it: a join may follow at once
        }
        fanOut(members, new Event.Banned(ban.room(), ban.user(), ban.by(), ban.reason(), ban.until(), ban.scope()), null);
        if (spared) {
            return 0;
        }
        members.removeAll(banned);
        BiConsumer<Session, String> remove = kickRemoval;
        banned.forEach(member -> Thread.ofVirtual().name("dino-ban").start(() -> remove.accept(member, ban.room())));
        return banned.size();
    }

    /**
     * A room's rules (its ACL) changed, sent with the new rules by SetRoomAcl: forget the cached snapshot, and take
     * the local sessions that no longer pass {@code join} out of the room. The count (SetRoomAcl's
     * {@code sessions_removed}) is decided with the new rules over the rest of the cached snapshot; without one
     * (not cached since an earlier change) over an open room's, which may count a session that stored roles or
     * private membership then keep in. Leaving means engine calls, so each removal runs on a virtual thread of
     * its own (the delivery thread must not block); answers how many sessions are being removed.
     */
    private int accessChanged(Control.RoomAclChanged changed) {
        String room = changed.room();
        // the rest of what access depends on (record, roles, channel) as cached before the change: no engine read here
        Optional<RoomRules> before = policy.cached(room);
        policy.invalidate(room);
        Set<Session> members = sessionsByRoom.get(room);
        if (members == null || members.isEmpty()) {
            return 0;
        }
        RoomRules rules;
        try {
            rules = before.orElseGet(() -> RoomRules.open(room)).withAcl(RoomAcl.parse(changed.rules()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "unreadable access rules for room {0} in a control command: {1}",
                    new Object[]{room, e.getMessage()});
            return 0;
        }
        int removing = 0;
        for (Session member : members) {
            if (!rules.check(policy.cachedSubject(member, rules), RoomAction.JOIN).passed()) {
                removing++;
                BiConsumer<Session, String> remove = removal;
                // the removal path re-reads everything and decides; the count is what these rules say
                Thread.ofVirtual().name("dino-acl-removal").start(() -> remove.accept(member, room));
            }
        }
        return removing;
    }

    /**
     * Something the room's access depends on changed: forget the cached rules, and have each local session
     * in the room re-checked by the removal path, which reads the rules again and takes out only the sessions
     * that no longer pass {@code join} (engine calls: a virtual thread each, off the delivery thread).
     * Answers how many sessions are being re-checked.
     */
    private int recheck(String room) {
        policy.invalidate(room);
        Set<Session> members = sessionsByRoom.get(room);
        if (members == null || members.isEmpty()) {
            return 0;
        }
        int rechecking = 0;
        BiConsumer<Session, String> remove = removal;
        for (Session member : members) {
            rechecking++;
            Thread.ofVirtual().name("dino-access-recheck").start(() -> remove.accept(member, room));
        }
        return rechecking;
    }

    /**
     * A room was removed: forget its cached rules and take every local session out of it (leaving means engine
     * calls: a virtual thread each, off the delivery thread). Answers how many sessions are being taken out.
     */
    private int roomRemoved(String room) {
        policy.invalidate(room);
        Set<Session> members = sessionsByRoom.get(room);
        if (members == null || members.isEmpty()) {
            return 0;
        }
        int removing = 0;
        BiConsumer<Session, String> remove = roomRemoval;
        for (Session member : members) {
            removing++;
            Thread.ofVirtual().name("dino-room-removal").start(() -> remove.accept(member, room));
        }
        return removing;
    }

    /**
     * A user was kicked out of a room: every local session in the room hears {@code kicked}, then the user's leave
     * the room's fan-out at once and are taken out of the room (engine calls: a virtual thread each). A kick that spares operators changes nothing here, and
     * tells nobody, when one of the user's sessions here is an operator's. Answers how many sessions are taken out.
     */
    private int kicked(Control.KickUser kick) {
        Set<Session> members = sessionsByRoom.get(kick.room());
        if (members == null || members.isEmpty()) {
            return 0;
        }
        List<Session> kicked = members.stream().filter(member -> member.user().equals(kick.user())).toList();
        if (kick.spareOperators() && kicked.stream().anyMatch(member -> member.principal().isOperator())) {
            return 0;
        }
        kicked.forEach(member -> member.markTakenOut(kick.room()));  // before they hear it: a join may follow at once
        fanOut(members, new Event.Kicked(kick.room(), kick.user(), kick.by(), kick.reason()), null);
        // out of the fan-out at once, on the delivering thread: this node delivers nothing more of the room to them;
        // the removal path (engine calls) leaves the room and unsubscribes when the set is left empty
        members.removeAll(kicked);
        BiConsumer<Session, String> remove = kickRemoval;
        kicked.forEach(member -> Thread.ofVirtual().name("dino-kick").start(() -> remove.accept(member, kick.room())));
        return kicked.size();
    }

    /** Sends one event to one session (the {@code expiring} warning). */
    void tell(Session session, Event event) {
        session.outbound().send(encoder.encode(event));
        metrics.delivered(event, 1);
    }

    /** Sends the disconnect event to a session and closes it. */
    void disconnect(Session session, Event.Disconnect disconnect) {
        session.outbound().disconnect(disconnect, encoder.encode(disconnect));
        metrics.delivered(disconnect, 1);
    }

    /** Sends the event to every recipient, except the sender of a room message that asked for no echo. */
    private void fanOut(Set<Session> recipients, Event event, String roomMessageId) {
        if (recipients == null || recipients.isEmpty()) {
            return;
        }
        String frame = encoder.encode(event);
        int delivered = 0;
        for (Session recipient : recipients) {
            if (roomMessageId != null && recipient.takesEchoSkip(roomMessageId)) {
                continue;
            }
            recipient.outbound().send(frame);
            delivered++;
        }
        metrics.delivered(event, delivered);
    }

    private void addTo(Map<String, Set<Session>> index, String key, Session session, LogId log) {
        ReentrantLock lock = stripe(key);
        lock.lock();
        try {
            Set<Session> members = index.get(key);
            if (members == null) {
                broker.subscribe(log);  // may fail (engine down): then nothing changed here either
                members = ConcurrentHashMap.newKeySet();
                index.put(key, members);
            }
            members.add(session);
        } finally {
            lock.unlock();
        }
    }

    /** {@code last} runs when that was the key's last session here, before unsubscribing. */
    private void removeFrom(Map<String, Set<Session>> index, String key, Session session, LogId log, Runnable last) {
        ReentrantLock lock = stripe(key);
        lock.lock();
        try {
            Set<Session> members = index.get(key);
            if (members == null) {
                return;
            }
            members.remove(session);  // false when a kick took it out of the set already (see kicked)
            if (members.isEmpty()) {
                index.remove(key);
                last.run();
                broker.unsubscribe(log);  // if this fails, the local state is still right; the engine reconciles
            }
        } finally {
            lock.unlock();
        }
    }

    /** Delivers an event to one local session only (a shadow-blocked message's echo to its sender). */
    void deliverTo(Session session, Event event) {
        session.outbound().send(encoder.encode(event));
        metrics.delivered(event, 1);
    }

    private ReentrantLock stripe(String key) {
        return stripes[(key.hashCode() & 0x7fffffff) % stripes.length];
    }
}
