package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.acl.Verdict;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.RoomAcls;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The policy step every room operation of a session passes through ({@link RoomOperations}, {@link MessageOperations}): may this user
 * do this action in this room? Operators pass without a look at the rules; everyone else is checked
 * against the room's {@link RoomAcl}, refused with NOT_ALLOWED naming the action, the room and the part
 * of the rule that failed. Backend calls are trusted and do not come here.
 *
 * <p>Rules live in the engine ({@link RoomAcls}); this node keeps parsed rules only for rooms it holds
 * (has a session in), because those are the rooms whose changes reach it: a change is sent through the
 * control plane to the holders of the room's log, and {@link #invalidate} drops the entry. A session in
 * the room therefore reads the cache (the send path costs no engine call); a session outside it (a join,
 * a history or members of a room it is not in) reads the engine. An entry read while an invalidation ran
 * is not kept, and the entry of a room the node stops holding is dropped, so no stale entry outlives a
 * change this node was told about.
 *
 * <p>A rule sees the session as an {@link AclSubject}: its token, and whether it is in the room
 * ({@code sameroom}) and in some room of the room's channel ({@code samechannel}); both are read from the
 * session's own room set and {@code channelOf}, so they cost no engine call.
 */
public final class RoomPolicy {

    private final RoomAcls store;
    private final Function<String, String> channelOf;
    private final Map<String, RoomAcl> cache = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    /**
     * @param channelOf the channel of a room (id → channel id); must answer without an engine call
     */
    public RoomPolicy(RoomAcls store, Function<String, String> channelOf) {
        this.store = store;
        this.channelOf = channelOf;
    }

    /** Refuses with NOT_ALLOWED unless the session may do the action in the room. */
    void authorize(Session session, RoomAction action, String room) {
        Principal principal = session.principal();
        if (principal.isOperator()) {
            return;
        }
        require(subject(session, room), session.isIn(room) ? held(room) : current(room), action, room);
    }

    /**
     * Refuses with NOT_ALLOWED unless the session, in room {@code via}, may send to {@code room}: both in one
     * channel (for operators too: it is where the rooms are, not a rule), and the target's {@code crossroom} and
     * {@code message} rules pass. The target's rules come from this node's cache when the session is in the
     * target, otherwise from the engine (one read: the node may not hold the target, so its cache may be stale).
     */
    void authorizeCrossRoom(Session session, String via, String room) {
        String prefix = "not allowed to send to room '" + room + "' from room '" + via + "': ";
        if (!channelOf(via).equals(channelOf(room))) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, prefix + "the rooms are in different channels");
        }
        if (session.principal().isOperator()) {
            return;
        }
        RoomAcl acl = session.isIn(room) ? held(room) : current(room);
        AclSubject subject = subject(session, room);
        for (RoomAction action : new RoomAction[]{RoomAction.CROSSROOM, RoomAction.MESSAGE}) {
            Verdict verdict = acl.check(subject, action);
            if (!verdict.passed()) {
                throw new DinoException(ErrorCode.NOT_ALLOWED, prefix + "needs " + verdict.failed());
            }
        }
    }

    /** The session as a rule of the room sees it: its token, whether it is in the room and in the room's channel. */
    AclSubject subject(Session session, String room) {
        boolean inRoom = session.isIn(room);
        return AclSubject.of(session.principal(), inRoom, inRoom || inChannel(session, channelOf(room)));
    }

    String channelOf(String room) {
        return channelOf.apply(room);
    }

    private boolean inChannel(Session session, String channel) {
        for (String room : session.rooms()) {
            if (channel.equals(channelOf(room))) {
                return true;
            }
        }
        return false;
    }

    /** Refuses with NOT_ALLOWED unless the subject passes the action's rule of these rules. */
    static void require(AclSubject subject, RoomAcl acl, RoomAction action, String room) {
        Verdict verdict = acl.check(subject, action);
        if (!verdict.passed()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, refusal(action, room, verdict.failed()));
        }
    }

    /** {@code not allowed to join room 'vip': needs age=18:} (docs/protocol.md, "Access control"). */
    static String refusal(RoomAction action, String room, String failed) {
        String verb = switch (action) {
            case JOIN -> "join";
            case MESSAGE -> "send to";
            case HISTORY -> "read the history of";
            case MEMBERS -> "list the members of";
            case LIST -> "list";
            case AUTOJOIN -> "autojoin";
            case CROSSROOM -> "send from another room to";
        };
        return "not allowed to " + verb + " room '" + room + "': needs " + failed;
    }

    /** The rooms whose rules have a rule for the action, e.g. the autojoin rooms (an engine read). */
    Set<String> roomsWithRule(RoomAction action) {
        return store.roomsWithRule(action.id());
    }

    /** The room's rules as stored now (an engine read). */
    RoomAcl current(String room) {
        return parse(room, store.get(room));
    }

    /**
     * The rules of a room this node holds: cached, read from the engine when not. Call only while a session
     * of this node is in the room (otherwise a change may not reach this node).
     */
    RoomAcl held(String room) {
        RoomAcl acl = cache.get(room);
        if (acl != null) {
            return acl;
        }
        long before = invalidations.get();
        acl = current(room);
        cache.put(room, acl);
        if (invalidations.get() != before) {
            cache.remove(room, acl);  // a change was applied meanwhile: what was read may be older than it
        }
        return acl;
    }

    /** The room's rules changed, or this node stopped (or starts) holding the room: forget what is cached. */
    void invalidate(String room) {
        invalidations.incrementAndGet();
        cache.remove(room);
    }

    /** Stores the room's rules (already validated) and forgets this node's cached copy. */
    void store(String room, RoomAcl acl) {
        store.set(room, acl.texts());
        invalidate(room);
    }

    Map<String, String> stored(String room) {
        return current(room).texts();
    }

    static RoomAcl parse(String room, Map<String, String> texts) {
        try {
            return RoomAcl.parse(texts);
        } catch (IllegalArgumentException e) {
            // stored rules were validated when set; rules this version cannot read refuse rather than open the room
            throw new DinoException(ErrorCode.INTERNAL, "the access rules of room '" + room + "' cannot be read: " + e.getMessage());
        }
    }
}
