package io.dino.gateway.engine;

/**
 * One stored message, immutable, as it travels from the engine to every node that delivers it.
 *
 * @param id        server-assigned message id, unique across logs
 * @param log       the log it was appended to; {@code null} for broadcasts, which are not stored
 * @param sender    user id of the sender, or the backend's sender label
 * @param timestamp milliseconds since the Unix epoch, assigned when accepted
 * @param position  place in its log; {@code null} for broadcasts
 * @param bodyJson  the message body as JSON text (validated before it reaches the engine)
 * @param whisper   for an inbox publication that is a whisper, the room and recipients; {@code null} otherwise
 */
public record Publication(String id, LogId log, String sender, long timestamp, Position position, String bodyJson,
                          Whisper whisper) {

    /** A publication that is not a whisper. */
    public Publication(String id, LogId log, String sender, long timestamp, Position position, String bodyJson) {
        this(id, log, sender, timestamp, position, bodyJson, null);
    }
}
