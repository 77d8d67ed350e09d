package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.ops.GatewayMetrics;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/** Messages: sessions sending to rooms and users, backends publishing and broadcasting, the caller's inbox. */
public final class MessageOperations {

    private final Broker broker;
    private final RoomPolicy policy;
    private final HistoryPages pages;
    private final GatewayConfig.Limits limits;
    private final GatewayMetrics metrics;
    private final InstantSource clock;
    private final ShadowBlocks shadowBlocks;
    private final Happenings happenings;

    MessageOperations(Broker broker, RoomPolicy policy, HistoryPages pages, GatewayConfig config, GatewayMetrics metrics,
                      InstantSource clock, ShadowBlocks shadowBlocks, Happenings happenings) {
        this.happenings = happenings;
        this.broker = broker;
        this.policy = policy;
        this.pages = pages;
        this.limits = config.limits();
        this.metrics = metrics;
        this.clock = clock;
        this.shadowBlocks = shadowBlocks;
    }

    /**
     * Publishes to a room the session is in. Without {@code echo}, the sending session does not receive the
     * message live (its other sessions and everyone else do); the id is registered before the publish because
     * the memory engine delivers while publishing.
     */
    public Publication sendToRoom(Session session, String room, String bodyJson, boolean echo) {
        Names.room(room);
        if (!session.isIn(room)) {
            run(() -> policy.requireExists(room));  // a room that does not exist is said so, not "join it first"
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' before sending to it");
        }
        run(() -> policy.authorize(session, RoomAction.MESSAGE, room));  // from the node's cache: the session is in the room
        checkBody(limits, bodyJson);
        Optional<Publication> shadowed = shadowBlocks.roomSend(session, room, bodyJson, echo);
        if (shadowed.isPresent()) {
            return shadowed.get();
        }
        Draft draft = draft(session.user(), bodyJson, "");
        if (!echo) {
            session.skipEcho(draft.id());
        }
        return publish(LogId.room(room), draft, SESSION);
    }

    /**
     * Publishes to a room from another room the session is in ({@code "via"}): the session need not be in the
     * target. Both rooms must be in one channel, and the target's {@code crossroom} and {@code message} rules
     * must pass (the subject's whereabouts as seen from the target). Sending via the target itself is a plain send.
     */
    public Publication sendToRoom(Session session, String room, String via, String bodyJson, boolean echo) {
        Names.room(room);
        Names.room(via);
        if (via.equals(room)) {
            return sendToRoom(session, room, bodyJson, echo);
        }
        if (!session.isIn(via)) {
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + via + "' before sending from it");
        }
        run(() -> policy.authorizeCrossRoom(session, via, room));
        checkBody(limits, bodyJson);
        Optional<Publication> shadowed = shadowBlocks.roomSend(session, room, bodyJson, echo && session.isIn(room));
        if (shadowed.isPresent()) {
            return shadowed.get();
        }
        Draft draft = draft(session.user(), bodyJson, "");
        if (!echo && session.isIn(room)) {  // a session outside the room gets no event to skip
            session.skipEcho(draft.id());
        }
        return publish(LogId.room(room), draft, SESSION);
    }

    public Publication sendPrivate(Session session, String recipient, String bodyJson) {
        Names.user(recipient);
        checkBody(limits, bodyJson);
        Optional<Publication> shadowed = shadowBlocks.privateSend(session, recipient, bodyJson);
        if (shadowed.isPresent()) {
            return shadowed.get();
        }
        return publish(LogId.user(recipient), draft(session.user(), bodyJson, ""), SESSION);
    }

    /** A page of the session user's inbox (private messages and notifications). */
    public HistoryPages.HistoryResult inboxHistory(Session session, int limit, OptionalLong before, OptionalLong after) {
        return pages.page(LogId.user(session.user()), limit, before, after);
    }

    public Publication publishToRoom(String room, String sender, String bodyJson, String idempotencyKey) {
        Names.room(room);
        String from = Names.sender(sender);
        checkBody(limits, bodyJson);
        return publish(LogId.room(room), draft(from, bodyJson, idempotencyKey), BACKEND);
    }

    /** Publishes to each distinct user's inbox, in order; the idempotency key applies per user. */
    public List<Publication> publishToUsers(List<String> users, String sender, String bodyJson, String idempotencyKey) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>(users);
        distinct.forEach(Names::user);
        checkBody(limits, bodyJson);
        String from = Names.sender(sender);
        LinkedHashMap<LogId, Draft> drafts = new LinkedHashMap<>();
        for (String user : distinct) {
            long now = clock.millis();
            drafts.put(LogId.user(user), new Draft(Ids.next(now), from, now, bodyJson, idempotencyKey));
        }
        long started = System.nanoTime();
        List<Publication> publications = call(() -> broker.publishEach(drafts));
        metrics.published(System.nanoTime() - started);
        publications.forEach(publication -> happenings.published(publication, BACKEND));
        return publications;
    }

    public Publication broadcast(String sender, String bodyJson) {
        checkBody(limits, bodyJson);
        long now = clock.millis();
        Publication publication = new Publication(Ids.next(now), null, Names.sender(sender), now, null, bodyJson);
        run(() -> broker.broadcast(publication));
        return publication;
    }

    private Draft draft(String sender, String bodyJson, String idempotencyKey) {
        long now = clock.millis();
        return new Draft(Ids.next(now), sender, now, bodyJson, idempotencyKey);
    }

    /** Who sent a message, as the {@code message} and {@code private} domain events' {@code source} says. */
    static final String SESSION = "session";
    static final String BACKEND = "backend";

    private Publication publish(LogId log, Draft draft, String source) {
        long started = System.nanoTime();
        Publication publication = call(() -> broker.publish(log, draft));
        metrics.published(System.nanoTime() - started);
        happenings.published(publication, source);
        return publication;
    }

    /** MESSAGE_TOO_LARGE for a body over {@code dino.limits.max-message-bytes}. */
    static void checkBody(GatewayConfig.Limits limits, String bodyJson) {
        if (Utf8.length(bodyJson) > limits.maxMessageBytes()) {
            throw new DinoException(ErrorCode.MESSAGE_TOO_LARGE,
                    "the body is larger than " + limits.maxMessageBytes() + " bytes");
        }
    }
}
