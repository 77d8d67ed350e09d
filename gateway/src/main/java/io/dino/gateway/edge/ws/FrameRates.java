package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Event;
import io.dino.gateway.limits.Limited;
import io.dino.gateway.limits.Rate;
import io.dino.gateway.limits.SessionBudget;

import java.time.Duration;
import java.util.Map;

/**
 * The rate limits of one connection's frames (docs/protocol.md, Rate limits): which budgets a frame draws from,
 * the RATE_LIMITED error of a refused one, and the disconnect of a session that keeps flooding. Every frame
 * counts, before or after {@code connect}, malformed ones too; a refused frame is not executed. WebSocket
 * control frames (pings, pongs) are not commands and are not limited; the {@code ping} command is one.
 * Used on the connection's command threads, one frame at a time, like its {@link SessionBudget}.
 */
final class FrameRates {

    /** The longest the reader waits after a refused frame before it reads the next. */
    static final Duration MAX_READ_PAUSE = Duration.ofSeconds(1);

    private final SessionBudget budget;
    private long lastWaitNanos;  // of the last refused frame

    FrameRates(SessionBudget budget) {
        this.budget = budget;
    }

    /** The error to answer {@code frame} with instead of running it, or null when it may run. */
    DinoException refusal(JsonNode frame) {
        long wait = budget.admit(cost(frame));
        lastWaitNanos = wait;
        if (wait == 0) {
            return null;
        }
        long retryAfterMs = Math.max(1, Rate.millisRoundedUp(wait));
        return new DinoException(ErrorCode.RATE_LIMITED, message(budget.lastRefusal()), Map.of("retryAfterMs", retryAfterMs));
    }

    /** How long the reader waits before reading the frame after a refused one: until a token is there, at most 1 s. */
    long readPauseNanos() {
        return Math.min(lastWaitNanos, MAX_READ_PAUSE.toNanos());
    }

    /** Whether the session had so many frames refused within 10 s that it is to be closed (then: {@link #floodNotice()}). */
    boolean flooding() {
        return budget.flooding();
    }

    /** The disconnect of a flooding session: code 4050, the client may reconnect (after its back-off). */
    Event.Disconnect floodNotice() {
        return new Event.Disconnect(ErrorCode.RATE_LIMITED,
                "closed for flooding: " + budget.refusedInWindow() + " frames over the rate limit within 10 s", true);
    }

    /** The session is {@code user}'s now: its sends and joins also count against the user's budgets on this node. */
    void authenticated(String user) {
        budget.authenticated(user);
    }

    void close() {
        budget.close();
    }

    private static SessionBudget.Cost cost(JsonNode frame) {
        JsonNode command = frame == null ? null : frame.get("cmd");
        if (command == null || !command.isTextual()) {
            return SessionBudget.Cost.COMMAND;
        }
        return switch (command.asText()) {
            case "send", "private", "whisper" -> SessionBudget.Cost.SEND;
            case "join" -> SessionBudget.Cost.JOIN;
            default -> SessionBudget.Cost.COMMAND;
        };
    }

    private static String message(Limited budget) {
        return switch (budget) {
            case COMMANDS -> "too many commands on this session; retry after retryAfterMs";
            case SENDS -> "too many messages sent on this session; retry after retryAfterMs";
            case JOINS -> "too many joins on this session; retry after retryAfterMs";
            case USER_SENDS -> "too many messages sent by this user; retry after retryAfterMs";
            case USER_JOINS -> "too many joins by this user; retry after retryAfterMs";
            case API_KEY_CALLS -> "too many calls with this API key; retry after retryAfterMs";
        };
    }
}
