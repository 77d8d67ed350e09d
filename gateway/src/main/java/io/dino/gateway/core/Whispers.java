package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Whisper;
import io.dino.gateway.ops.GatewayMetrics;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/**
 * Whispers: a message to named members of a room the sender is in, seen only by them and by the sender's own
 * sessions (docs/protocol.md, "whisper").
 *
 * <p>A whisper is stored like a private message, once per recipient inbox and once in the sender's (so it is
 * durable and recoverable, and the sender's other sessions see it), each copy marked with the room and the
 * recipients ({@link Whisper}). All copies go in one {@link Broker#publishEach} call.
 *
 * <p>Every recipient must be in the room now, read in one presence call for all of them; otherwise nothing is
 * sent (a chat user whispering to someone who left expects to be told, not a partial delivery). Invisible members
 * count as present: being invisible hides a user from lists, it does not make the user unreachable. A refusal
 * names only the first named user who is not in the room, never who of the others is there.
 */
public final class Whispers {

    /** Most recipients of one whisper. */
    public static final int MAX_RECIPIENTS = 20;

    private final Broker broker;
    private final PresenceStore presence;
    private final RoomPolicy policy;
    private final GatewayConfig.Limits limits;
    private final GatewayMetrics metrics;
    private final InstantSource clock;
    private final ShadowBlocks shadowBlocks;
    private final Happenings happenings;

    Whispers(Broker broker, PresenceStore presence, RoomPolicy policy, GatewayConfig config, GatewayMetrics metrics,
             InstantSource clock, ShadowBlocks shadowBlocks, Happenings happenings) {
        this.happenings = happenings;
        this.broker = broker;
        this.presence = presence;
        this.policy = policy;
        this.limits = config.limits();
        this.metrics = metrics;
        this.clock = clock;
        this.shadowBlocks = shadowBlocks;
    }

    /**
     * Whispers {@code bodyJson} in the room to {@code to}; answers the sender's own copy (its inbox position is
     * what the sending session sees arrive).
     */
    public Publication whisper(Session session, String room, List<String> to, String bodyJson) {
        Names.room(room);
        List<String> recipients = recipients(session, to);
        if (!session.isIn(room)) {
            run(() -> policy.requireExists(room));
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' before whispering in it");
        }
        run(() -> policy.authorizeWhisper(session, room));  // from the node's cache: the session is in the room
        MessageOperations.checkBody(limits, bodyJson);
        Map<String, List<String>> roomsOf = call(() -> presence.roomsOfUsers(recipients));
        for (String user : recipients) {
            if (!roomsOf.getOrDefault(user, List.of()).contains(room)) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "'" + user + "' is not in room '" + room + "'");
            }
        }
        java.util.Optional<Publication> shadowed = shadowBlocks.whisper(session, room, recipients, bodyJson);
        if (shadowed.isPresent()) {
            return shadowed.get();
        }
        Whisper whisper = new Whisper(room, recipients);
        long now = clock.millis();
        LinkedHashMap<LogId, Draft> drafts = new LinkedHashMap<>();
        drafts.put(LogId.user(session.user()), new Draft(Ids.next(now), session.user(), now, bodyJson, "", whisper));
        for (String user : recipients) {
            drafts.put(LogId.user(user), new Draft(Ids.next(now), session.user(), now, bodyJson, "", whisper));
        }
        long started = System.nanoTime();
        List<Publication> publications = call(() -> broker.publishEach(drafts));
        metrics.published(System.nanoTime() - started);
        // the recipients' copies: the sender's own copy (the first) is no message to anyone
        publications.subList(1, publications.size()).forEach(publication ->
                happenings.published(publication, MessageOperations.SESSION));
        return publications.getFirst();
    }

    /** 1-20 distinct valid user ids, the sender not among them. */
    private static List<String> recipients(Session session, List<String> to) {
        if (to.isEmpty() || to.size() > MAX_RECIPIENTS) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "to must name 1-" + MAX_RECIPIENTS + " users");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String user : to) {
            Names.user(user);
            if (user.equals(session.user())) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "to must not name yourself: your sessions get the whisper anyway");
            }
            if (!distinct.add(user)) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "to names '" + user + "' twice");
            }
        }
        return List.copyOf(distinct);
    }
}
