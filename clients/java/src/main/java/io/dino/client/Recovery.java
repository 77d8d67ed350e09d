package io.dino.client;

/**
 * What a reconnect recovered for one log, as reported to {@link DinoSession.Builder#onRecovery}.
 *
 * @param log       the room or the inbox
 * @param recovered true when every message after {@code from} was replayed (those not delivered before are
 *                  handed to the application right after this report); false when the gap could not be
 *                  replayed (another epoch, or outside the server's retention): the messages between
 *                  {@code from} and {@code to} are lost to this session, and delivery continues after {@code to}
 * @param from      the last position delivered before the reconnect
 * @param to        the log's position on the server when it answered
 * @param replayed  how many replayed messages were new to the application (repeats are not counted)
 */
public record Recovery(LogId log, boolean recovered, Position from, Position to, int replayed) {
}
