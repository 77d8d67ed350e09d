package io.dino.gateway.core;

import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.auth.TokenRejectedException;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Revocations;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/**
 * A session's token over its life: expiry, refresh in place, and revocation, cluster-wide.
 *
 * <p>Expiry: each session has at most one pending timer on the node's timer executor (kept by the session, cancelled
 * when it closes or refreshes). It first fires {@code expiry-warning} before the token's {@code exp} (at once when
 * less is left) and sends {@code expiring}; then, at {@code exp} plus the clock skew the verifier grants (a token is
 * accepted at connect until then, so closing earlier would only make the client reconnect with it), it closes the
 * session with TOKEN_EXPIRED. A timer that fires for a token the session no longer holds does nothing.
 *
 * <p>Refresh: a new token of the same user, verified like at connect and checked against revocations, replaces the
 * session's principal (roles and attributes too) and its timers. The session stays open whatever the refresh's error.
 * Rooms joined are not re-checked: the new claims apply to every later check (join, send, history, moderation).
 *
 * <p>Revocation: by user (every token issued before now; a token without {@code iat} too) or by token id; stored
 * ({@link Revocations}) first, then the control plane closes the live sessions it covers on every node (TOKEN_REVOKED).
 * Connect and refresh check the store; a connect checks once its session is in the hub, so a revocation stored after
 * the check reaches it through the control plane.
 */
public final class TokenOperations {

    private static final System.Logger LOG = System.getLogger(TokenOperations.class.getName());

    private final TokenVerifier verifier;
    private final Revocations revocations;
    private final Broker broker;
    private final Hub hub;
    private final ScheduledExecutorService timers;
    private final Duration warning;
    private final Duration skew;
    private final Duration maxLifetime;
    private final InstantSource clock;

    TokenOperations(TokenVerifier verifier, Revocations revocations, Broker broker, Hub hub, SessionOperations sessions,
                    ScheduledExecutorService timers, AuthSettings settings, InstantSource clock) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.broker = broker;
        this.hub = hub;
        this.timers = timers;
        this.warning = settings.expiryWarning();
        this.skew = settings.clockSkew();
        this.maxLifetime = settings.maxTokenLifetime();
        this.clock = clock;
        sessions.onOpen(session -> requireNotRevoked(session.principal()));
    }

    /** Starts the session's expiry timers; the edge calls it once the connect reply is on its way. */
    public void watch(Session session) {
        schedule(session, session.principal());
    }

    /**
     * Replaces the session's token with {@code token}: same user, valid, not revoked. Answers the new expiry.
     * INVALID_TOKEN / TOKEN_EXPIRED / TOKEN_REVOKED for a token that cannot be used, NOT_ALLOWED for another user's.
     */
    public Instant refresh(Session session, String token) {
        Principal next;
        try {
            next = verifier.verify(token);
        } catch (TokenRejectedException e) {
            throw new DinoException(e.reason() == TokenRejectedException.Reason.EXPIRED ? ErrorCode.TOKEN_EXPIRED
                    : ErrorCode.INVALID_TOKEN, e.getMessage());
        }
        if (!next.user().equals(session.user())) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "the token is for another user: a session keeps its user");
        }
        // in place before the check: a revocation of the new token stored after the check finds it in the session
        Principal before = session.replacePrincipal(next);
        try {
            requireNotRevoked(next);
        } catch (RuntimeException e) {
            session.replacePrincipal(before);
            schedule(session, before);  // its timer may have fired meanwhile, found another principal and stopped
            throw e;
        }
        if (next.expiresAt().isAfter(before.expiresAt())) {
            schedule(session, next);
        } else {
            // no later than the token it replaces (the same token again, say): warned already, so no second warning,
            // which a client that refreshes on every warning would answer with the same token, and so on
            scheduleExpiry(session, next);
        }
        return next.expiresAt();
    }

    /**
     * A backend revokes tokens of {@code user}: the one with {@code tokenId}, or (empty) every one issued before now.
     * {@code expiresAt}: when the revoked tokens expire, i.e. how long the revocation must be kept; empty: the
     * configured maximum token lifetime from now. Answers how many live sessions were closed, cluster-wide.
     */
    public int revoke(String user, String tokenId, Optional<Instant> expiresAt) {
        Names.user(user);
        String id = tokenId == null ? "" : tokenId.strip();
        if (id.length() > 128 || id.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "token_id must be at most 128 printable ASCII characters");
        }
        Instant now = clock.instant();
        Instant until = expiresAt.orElse(now.plus(maxLifetime));
        if (!until.isAfter(now)) {
            return 0;  // the tokens have expired: nothing left to revoke
        }
        if (id.isEmpty()) {
            run(() -> revocations.revokeUser(user, now, until));
        } else {
            run(() -> revocations.revokeToken(user, id, until));
        }
        return call(() -> broker.control(LogId.user(user), new Control.RevokeTokens(user, id, now)));
    }

    /** The user's revocations in force. */
    public List<Revocations.Revocation> revocationsOf(String user) {
        Names.user(user);
        return call(() -> revocations.of(user));
    }

    /** TOKEN_REVOKED when a revocation covers the token (UNAVAILABLE when that cannot be told): as at connect. */
    public void requireNotRevoked(Principal principal) {
        if (call(() -> revocations.isRevoked(principal.user(), principal.tokenId(), principal.issuedAt()))) {
            throw new DinoException(ErrorCode.TOKEN_REVOKED, "the token has been revoked");
        }
    }

    /**
     * The session's one timer for this principal's token: the warning first, then the expiry. A warning that is due
     * already runs at once on the timer thread, not on the caller's: the caller's result (of connect, of refresh) is
     * normally queued before it.
     */
    private void schedule(Session session, Principal principal) {
        long warnIn = Math.max(0, principal.expiresAt().minus(warning).toEpochMilli() - clock.millis());
        session.replaceExpiryTimer(principal, () -> timers.schedule(() -> warn(session, principal), warnIn, TimeUnit.MILLISECONDS));
    }

    private void warn(Session session, Principal principal) {
        if (session.principal() != principal) {
            return;  // refreshed meanwhile: the new token has timers of its own
        }
        long expiresAt = principal.expiresAt().toEpochMilli();
        hub.tell(session, new Event.Expiring(expiresAt, Math.max(0, expiresAt - clock.millis())));
        scheduleExpiry(session, principal);
    }

    /** The session's one timer: the close at the token's expiry plus the clock skew. */
    private void scheduleExpiry(Session session, Principal principal) {
        long closeIn = Math.max(0, principal.expiresAt().plus(skew).toEpochMilli() - clock.millis());
        session.replaceExpiryTimer(principal, () -> timers.schedule(() -> expire(session, principal), closeIn, TimeUnit.MILLISECONDS));
    }

    private void expire(Session session, Principal principal) {
        if (session.principal() != principal) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "session {0} of {1}: token expired", session.id(), session.user());
        hub.disconnect(session, new Event.Disconnect(ErrorCode.TOKEN_EXPIRED,
                "the token has expired; connect again with a new one (or send refresh before it expires)", true));
    }
}
