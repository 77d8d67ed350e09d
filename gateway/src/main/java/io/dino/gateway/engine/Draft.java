package io.dino.gateway.engine;

/**
 * A message about to be published: everything but what the engine assigns (position, and nothing
 * else: id and timestamp are assigned by the caller so a retried publish can keep them).
 *
 * @param id             message id
 * @param sender         user id or backend sender label
 * @param timestamp      accept time in milliseconds since the Unix epoch
 * @param bodyJson       body as JSON text
 * @param idempotencyKey empty for none; otherwise a publish with the same key to the same log within
 *                       the idempotency window is stored once and returns the first result
 * @param whisper        the whisper's room and recipients, for a whisper's inbox copy; {@code null} otherwise
 */
public record Draft(String id, String sender, long timestamp, String bodyJson, String idempotencyKey, Whisper whisper) {

    /** A draft that is not a whisper. */
    public Draft(String id, String sender, long timestamp, String bodyJson, String idempotencyKey) {
        this(id, sender, timestamp, bodyJson, idempotencyKey, null);
    }

    public Draft {
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    }

    public Publication at(LogId log, Position position) {
        return new Publication(id, log, sender, timestamp, position, bodyJson, whisper);
    }
}
