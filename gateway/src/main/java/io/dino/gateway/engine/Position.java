package io.dino.gateway.engine;

/**
 * A place in a log. Offsets start at 1 for the first publication and grow by one per publication;
 * the epoch names the log's current incarnation and changes only when the log was lost or reset
 * (an engine restart without persistence, an expired log). A client that kept an offset from another
 * epoch can therefore not trust it: the epoch tells it so instead of a silently wrong replay.
 *
 * @param epoch  incarnation of the log
 * @param offset number of publications appended in this epoch; 0 for an empty log
 */
public record Position(String epoch, long offset) {
}
