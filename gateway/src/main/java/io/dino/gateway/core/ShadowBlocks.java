package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Whisper;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * The shadow block (docs/protocol.md, "Blacklisted words"): a {@code send}, {@code private} or {@code whisper} of a
 * non-operator whose body contains a blacklisted entry is answered as accepted, but stored nowhere and delivered to
 * nobody except, for a room send with echo and for a whisper, the sending session itself (its echo, built here and
 * handed to that session only). The reply carries a fresh id and accept time and the position of the log's <em>last
 * stored</em> message (the offset does not move: nothing was stored; {@code ""}, 0 for a log without messages). The
 * echo carries the same id and time but no position: it has no place in the log, and a client that drops repeats by
 * position (both SDKs) would drop an echo at the last position as a repeat, while it delivers a message without
 * one as it comes. The blocked message is reported: a {@code blacklisted} post in the admin room and a
 * {@link EventType#BLACKLISTED} domain event.
 *
 * <p>Cost on the send path of a message that matches nothing: one scan of the body by this node's compiled matcher
 * (nothing at all while the list is empty, or for operators); no engine call. A blocked message costs one engine
 * read (the log's position) and the admin room post.
 */
public final class ShadowBlocks {

    private final Blacklisting blacklist;
    private final AdminRoom adminRoom;
    private final Broker broker;
    private final Hub hub;
    private final DomainEvents events;
    private final InstantSource clock;

    ShadowBlocks(Blacklisting blacklist, AdminRoom adminRoom, Broker broker, Hub hub, DomainEvents events, InstantSource clock) {
        this.blacklist = blacklist;
        this.adminRoom = adminRoom;
        this.broker = broker;
        this.hub = hub;
        this.events = events;
        this.clock = clock;
    }

    /** A room send: the shadow reply when it is blocked (the echo already on its way when {@code echo}), else empty. */
    Optional<Publication> roomSend(Session session, String room, String bodyJson, boolean echo) {
        List<String> matched = matched(session, bodyJson);
        if (matched.isEmpty()) {
            return Optional.empty();
        }
        Publication shadow = shadow(session, LogId.room(room), bodyJson, null);
        if (echo) {
            hub.deliverTo(session, new Event.RoomMessage(unpositioned(shadow)));
        }
        report(session, shadow, matched, "send", room, List.of());
        return Optional.of(shadow);
    }

    /** A private message: the shadow reply (the recipient's inbox position) when it is blocked, else empty. */
    Optional<Publication> privateSend(Session session, String to, String bodyJson) {
        List<String> matched = matched(session, bodyJson);
        if (matched.isEmpty()) {
            return Optional.empty();
        }
        Publication shadow = shadow(session, LogId.user(to), bodyJson, null);
        report(session, shadow, matched, "private", "", List.of(to));
        return Optional.of(shadow);
    }

    /**
     * A whisper: the shadow of the sender's own copy (its inbox position) when it is blocked, delivered to the sending
     * session only (the user's other sessions, which see a real whisper's copy, see nothing), else empty.
     */
    Optional<Publication> whisper(Session session, String room, List<String> recipients, String bodyJson) {
        List<String> matched = matched(session, bodyJson);
        if (matched.isEmpty()) {
            return Optional.empty();
        }
        Publication shadow = shadow(session, LogId.user(session.user()), bodyJson, new Whisper(room, recipients));
        hub.deliverTo(session, new Event.PrivateMessage(unpositioned(shadow)));
        report(session, shadow, matched, "whisper", room, recipients);
        return Optional.of(shadow);
    }

    private List<String> matched(Session session, String bodyJson) {
        BlacklistMatcher matcher = blacklist.matcher();
        if (matcher.isEmpty() || session.principal().isOperator()) {
            return List.of();
        }
        return matcher.matches(bodyJson);
    }

    private Publication shadow(Session session, LogId log, String bodyJson, Whisper whisper) {
        Position top = call(() -> broker.top(log));
        long now = clock.millis();
        return new Publication(Ids.next(now), log, session.user(), now, top, bodyJson, whisper);
    }

    /** The echo of a shadow: no position, as it is in no log (see the class comment). */
    private static Publication unpositioned(Publication shadow) {
        return new Publication(shadow.id(), shadow.log(), shadow.sender(), shadow.timestamp(), null, shadow.bodyJson(),
                shadow.whisper());
    }

    private void report(Session session, Publication shadow, List<String> matched, String kind, String room, List<String> to) {
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "blacklisted");
        post.put("by", session.user());
        if (!room.isEmpty()) {
            post.put("room", room);
        }
        if (!to.isEmpty()) {
            post.put("to", kind.equals("private") ? to.getFirst() : to);
        }
        post.put("kind", kind);
        post.put("messageId", shadow.id());
        post.put("words", matched);
        post.put("body", new AdminRoom.RawJson(shadow.bodyJson()));
        adminRoom.post(post);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("kind", kind);
        data.put("messageId", shadow.id());
        data.put("words", String.join(",", matched));
        data.put("body", shadow.bodyJson());
        if (!to.isEmpty()) {
            data.put("to", String.join(",", to));
        }
        events.emit(new DomainEvent(EventType.BLACKLISTED, shadow.timestamp(), room, session.user(), "", data));
    }
}
