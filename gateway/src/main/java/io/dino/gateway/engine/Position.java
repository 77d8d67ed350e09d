package io.dino.gateway.engine;

/**
 * A place in a log. Offsets start at 1 for the first publication and grow by one per publication;
 * the epoch names the log's current incarnation and changes only when the log was lost or reset
 * (an engine restart without persistence, an expired log). A client that kept an offset from another
 * epoch can therefore not trust it: the epoch tells it so instead of a silently wrong replay.
 *
 * <p>A log gets its epoch with its first publication. Before that, and again once its publications
 * expired, it is at {@link #EMPTY}: reading a log never creates it, so made-up names cost nothing.
 *
 * @param epoch  incarnation of the log; empty while the log has none
 * @param offset number of publications appended in this epoch; 0 for an empty log
 */
public record Position(String epoch, long offset) {

    /** Where a log without publications stands. */
    public static final Position EMPTY = new Position("", 0);

    /**
     * This position, to compare with a log now at {@code top}. A client that saw the log empty has
     * missed everything of the epoch the log started since, so {@link #EMPTY} is offset 0 of that epoch.
     */
    public Position within(Position top) {
        return equals(EMPTY) ? new Position(top.epoch(), 0) : this;
    }
}
