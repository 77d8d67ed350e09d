package io.dino.gateway.core;

/**
 * Every error a client or backend can get, with a stable number and name. docs/protocol.md lists
 * them; a test keeps that list and this enum in step.
 *
 * <p>Ranges: 40xx the request was wrong (fix it; retrying the same request fails again), 401x
 * authentication, 403x–404x refused by rules or state, 405x limits (temporary: retry after the time the error
 * names), 408x–409x the server ended the session,
 * 50xx the server could not do it now (temporary: retry, reconnect).
 * Codes 4000–4999 double as WebSocket close codes when an error ends the session.
 */
public enum ErrorCode {
    MALFORMED_FRAME(4000, false, "the frame is not a JSON object"),
    UNKNOWN_COMMAND(4001, false, "no such command"),
    MISSING_FIELD(4002, false, "a required field is missing"),
    INVALID_VALUE(4003, false, "a field has the wrong type or an invalid value"),
    FRAME_TOO_LARGE(4004, false, "the frame is larger than allowed"),
    MESSAGE_TOO_LARGE(4005, false, "the message body is larger than allowed"),
    EMPTY_MESSAGE(4006, false, "the message body is empty"),
    UNSUPPORTED_PROTOCOL(4007, false, "the requested protocol version is not supported"),
    NOT_AUTHENTICATED(4010, false, "send connect with a token first"),
    INVALID_TOKEN(4011, false, "the token is malformed, forged or not acceptable"),
    TOKEN_EXPIRED(4012, false, "the token has expired"),
    ALREADY_CONNECTED(4013, false, "this session is already authenticated"),
    TOKEN_REVOKED(4014, false, "the token has been revoked"),
    NOT_ALLOWED(4030, false, "not allowed"),
    NOT_IN_ROOM(4031, false, "join the room first"),
    TOO_MANY_ROOMS(4032, false, "the session is in too many rooms"),
    ROOM_EXISTS(4033, false, "a room of that id, or of that name in the channel, exists"),
    ROOM_FULL(4034, false, "the room is full"),
    TOO_MANY_OWNED_ROOMS(4035, false, "the user owns too many rooms of this kind"),
    NAME_RESERVED(4036, false, "the name is reserved"),
    CHANNEL_EXISTS(4037, false, "a channel of that id exists"),
    BANNED(4038, false, "the user is banned"),
    MUTED(4039, false, "the user is muted in this room"),
    NOT_ONLINE(4040, false, "the user is not online"),
    NO_SUCH_ROOM(4041, false, "no such room"),
    NO_SUCH_CHANNEL(4042, false, "no such channel"),
    NO_SUCH_MESSAGE(4043, false, "no such message"),
    RATE_LIMITED(4050, true, "too many requests; retry after retryAfterMs"),
    SLOW_CONSUMER(4080, true, "the client did not read fast enough"),
    DISCONNECTED(4090, false, "disconnected by the server"),
    REPLACED(4091, false, "logged in elsewhere"),
    INTERNAL(5000, true, "internal error"),
    UNAVAILABLE(5030, true, "temporarily unavailable; retry"),
    SHUTTING_DOWN(5031, true, "the node is shutting down; reconnect");

    private final int code;
    private final boolean temporary;
    private final String defaultMessage;

    ErrorCode(int code, boolean temporary, String defaultMessage) {
        this.code = code;
        this.temporary = temporary;
        this.defaultMessage = defaultMessage;
    }

    public int code() {
        return code;
    }

    /** Whether the same request may succeed later (retry, or reconnect for session-ending errors). */
    public boolean temporary() {
        return temporary;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
