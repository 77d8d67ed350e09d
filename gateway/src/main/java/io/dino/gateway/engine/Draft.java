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
 */
public record Draft(String id, String sender, long timestamp, String bodyJson, String idempotencyKey) {

    public Draft {
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    }

    public Publication at(LogId log, Position position) {
        return new Publication(id, log, sender, timestamp, position, bodyJson);
    }
}
