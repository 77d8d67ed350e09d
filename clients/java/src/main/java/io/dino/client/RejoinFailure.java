package io.dino.client;

/**
 * A room the session could not re-join after a reconnect, as reported to
 * {@link DinoSession.Builder#onRejoinFailure}. Only that room is affected: the connection, the inbox and the
 * other rooms go on.
 *
 * @param room     the room
 * @param code     the server's error code, e.g. 4032 or 5030
 * @param name     the server's error name, e.g. {@code TOO_MANY_ROOMS} or {@code UNAVAILABLE}
 * @param message  the server's message, for humans
 * @param retrying true for a temporary error (50xx, such as {@code UNAVAILABLE}): the session joins the room
 *                 again after a backoff delay, from the same position, and reports each failure until a join
 *                 succeeds. False for any other error (such as {@code TOO_MANY_ROOMS} or {@code INVALID_VALUE}),
 *                 which the same request would get again: the session no longer follows the room; join it
 *                 again once the cause is gone
 */
public record RejoinFailure(String room, int code, String name, String message, boolean retrying) {
}
