package io.dino.gateway.core;

import io.dino.gateway.auth.Principal;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.UserStatus;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/** Opening and closing sessions: presence, the hub, the user's inbox and what the session missed. */
public final class SessionOperations {

    /**
     * Result of opening a session: the session, its inbox position with what it missed, if asked, the
     * autojoin rooms it entered (in the order joined; empty when none), and, when no recovery was asked, the
     * private messages the user has not acknowledged ({@link ReceiptOperations#unacked}).
     */
    public record Opened(Session session, Position inbox, Optional<Recovery> recovery,
                         List<RoomOperations.JoinResult> autojoined, Optional<ReceiptOperations.Unacked> unacked) {
    }

    private final String nodeId;
    private final Broker broker;
    private final PresenceStore presence;
    private final Hub hub;
    private final RoomOperations rooms;
    private final Autojoin autojoin;
    private final HistoryPages pages;
    private final GatewayConfig.Presence presenceRules;
    private final InstantSource clock;
    private final ReceiptOperations receipts;
    private final Happenings happenings;
    private final SanctionOperations sanctions;
    /** Checks a session may open, once it is in the hub (set once by {@link TokenOperations}: revoked tokens). */
    private volatile java.util.function.Consumer<Session> admission = session -> { };

    SessionOperations(String nodeId, Broker broker, PresenceStore presence, Hub hub, RoomOperations rooms, Autojoin autojoin,
                      HistoryPages pages, GatewayConfig config, InstantSource clock, ReceiptOperations receipts,
                      Happenings happenings, SanctionOperations sanctions) {
        this.happenings = happenings;
        this.nodeId = nodeId;
        this.broker = broker;
        this.presence = presence;
        this.hub = hub;
        this.rooms = rooms;
        this.autojoin = autojoin;
        this.pages = pages;
        this.presenceRules = config.presence();
        this.clock = clock;
        this.receipts = receipts;
        this.sanctions = sanctions;
    }

    /**
     * Opens a session. The node subscribes to the user's inbox before reading what was missed, so a message
     * published meanwhile arrives live or in the recovery (perhaps both: clients drop repeats by offset).
     * Once open, the session enters the autojoin rooms it may ({@link Autojoin}); those that fail are skipped. A
     * globally banned user is refused with BANNED (one engine read).
     */
    public Opened open(Principal principal, Outbound outbound, Optional<Position> inboxSince) {
        long now = clock.millis();
        Session session = new Session(new SessionRef(nodeId, Ids.next(now), principal.user()), principal, outbound, now);
        boolean first = call(() -> presence.connect(session.ref()));
        LogId inbox = LogId.user(principal.user());
        try {
            run(() -> hub.add(session));
            // after hub.add: a global ban stored before this read refuses here, one stored after it reaches this
            // node's new session through the user's log (BanUserGlobally); so does a token revocation
            sanctions.requireNotBannedGlobally(principal.user());
            admission.accept(session);
            happenings.emit(EventType.CONNECTED, "", principal.user(), "", Map.of("session", session.id()));
            if (!first) {
                // the user's status outlives this session's connect only if the user was online already
                UserStatus status = call(() -> presence.presence(List.of(principal.user()))).getFirst().status();
                hub.statusKnown(principal.user(), status == UserStatus.INVISIBLE);
            }
            if (presenceRules.singleSession()) {
                // after hub.add, so this node's older sessions get the command too; the new one is not older than itself
                call(() -> broker.control(inbox, new Control.ReplaceSessions(principal.user(), session.id())));
            }
            Optional<Recovery> recovery = inboxSince.map(since -> pages.recover(inbox, since));
            // a client that keeps its inbox position recovers from it; one that does not gets what it did not acknowledge
            Optional<ReceiptOperations.Unacked> unacked = recovery.isPresent() ? Optional.empty()
                    : Optional.of(receipts.unacked(principal.user()));
            Position top = recovery.map(Recovery::top).orElseGet(() -> unacked.orElseThrow().top());
            return new Opened(session, top, recovery, autojoin.join(session), unacked);
        } catch (DinoException e) {
            close(session);
            throw e;
        }
    }

    void onOpen(java.util.function.Consumer<Session> admission) {
        this.admission = admission;
    }

    /**
     * Removes a closed session everywhere: its rooms (with leave events), the hub, presence. Runs once per
     * session, whichever thread gets here first; commands that arrive later are refused.
     */
    public void close(Session session) {
        close(session, CloseCause.UNKNOWN);
    }

    /**
     * How a session ended, for the {@code disconnected} domain event: the WebSocket close code, the Dino error
     * name when the server ended it (empty when the client did), a reason text.
     */
    public record CloseCause(int code, String error, String reason) {
        public static final CloseCause UNKNOWN = new CloseCause(1006, "", "");
    }

    /** As {@link #close(Session)}, telling the {@code disconnected} domain event how the session ended. */
    public void close(Session session, CloseCause cause) {
        session.close(() -> {
            for (String room : List.copyOf(session.rooms())) {
                try {
                    rooms.leaveRoom(session, room, true, RoomOperations.DISCONNECT);
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
            happenings.emit(EventType.DISCONNECTED, "", session.user(), "", Map.of("session", session.id(),
                    "code", Integer.toString(cause.code()), "error", cause.error(), "reason", cause.reason()));
        });
    }
}
