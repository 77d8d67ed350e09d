package io.dino.client;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A place in a log: the log's {@code epoch} (its incarnation) and the {@code offset} of a message in it.
 * Offsets grow by one per message within an epoch; offset 0 is an empty log. Positions are comparable only
 * within one log and one epoch.
 */
public record Position(String epoch, long offset) {

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
    }

    /**
     * Reads the {@code epoch} and {@code offset} fields of a message object or a join/connect result.
     *
     * @return the position, or null if {@code node} is null or lacks either field
     */
    public static Position of(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode epoch = node.get("epoch");
        JsonNode offset = node.get("offset");
        if (epoch == null || !epoch.isTextual() || offset == null || !offset.canConvertToLong() || offset.longValue() < 0) {
            return null;
        }
        return new Position(epoch.asText(), offset.longValue());
    }

    /** Whether {@code other} is in this position's epoch and at or before it (so a message there is a repeat). */
    public boolean covers(Position other) {
        return epoch.equals(other.epoch) && other.offset <= offset;
    }

    @Override
    public String toString() {
        return epoch + ":" + offset;
    }
}
