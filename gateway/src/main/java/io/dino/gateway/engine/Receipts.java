package io.dino.gateway.engine;

import java.util.Map;

/**
 * Receipts as positions, not per-message records: for each log (a room's, or a user's inbox) and user, how far
 * the user has received ({@code delivered}) and read ({@code read}) it, as offsets of one epoch of the log. A
 * receipt then costs one small record per user and log, and nothing on the send path. The engine stores and
 * raises markers; who may mark what, and what a marker means to others, is the core's.
 *
 * <p>Contract (the engine contract tests check each point, for every engine):
 * <ul>
 *   <li>{@link #mark} is atomic per log and user, and monotonic within an epoch: a marker only grows, a lower
 *       offset changes nothing. {@code read} raises {@code delivered} with it (what was read was received), so
 *       {@code delivered >= read} always.</li>
 *   <li>A mark in another epoch than the stored marker's replaces it: positions of a log's earlier incarnation
 *       say nothing about the current one (the core marks only in the log's current epoch).</li>
 *   <li>A marker is visible to every node's reads once {@link #mark} returns.</li>
 *   <li>A marker is kept at least {@link Retention#idleLifetime} (of the history max-age) after its last mark,
 *       and for ever when that is zero. A marker that went acknowledged only publications that have left the
 *       log by then (they are older than max-age), so forgetting it loses nothing that could still be read.</li>
 *   <li>Reading never stores anything; reading a marker nobody set answers {@link Marker#NONE}.</li>
 * </ul>
 * Failures throw {@link EngineUnavailableException}.
 */
public interface Receipts {

    /** What a receipt says: the user received the log up to an offset, or read it (which implies received). */
    enum Kind {
        DELIVERED, READ;

        /** {@code delivered} or {@code read}, as the protocol spells it. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Where a user stands in a log: received up to {@code delivered}, read up to {@code read}, both offsets of
     * {@code epoch} (0: nothing).
     */
    record Marker(String epoch, long delivered, long read) {

        /** No receipt yet. */
        public static final Marker NONE = new Marker("", 0, 0);

        /** This marker as seen from a log now in {@code epoch}: a marker of another epoch counts as none. */
        public Marker in(String epoch) {
            return this.epoch.equals(epoch) ? this : new Marker(epoch, 0, 0);
        }

        /** The offset of the kind. */
        public long of(Kind kind) {
            return kind == Kind.READ ? read : delivered;
        }
    }

    /** A marker before and after a {@link #mark}, read in the same atomic step. */
    record Change(Marker before, Marker after) {

        /** Whether the mark raised the kind's offset (or started the marker in a new epoch). */
        public boolean advanced(Kind kind) {
            return after.of(kind) > before.in(after.epoch()).of(kind);
        }
    }

    /**
     * Raises the user's marker in the log to {@code offset} of {@code epoch} for the kind ({@code READ} raises
     * {@code delivered} too); answers the marker before and after, atomically with the change.
     */
    Change mark(LogId log, String user, Kind kind, String epoch, long offset);

    /** The user's marker in the log; {@link Marker#NONE} when none is stored. */
    Marker marker(LogId log, String user);

    /** Every stored marker of the log, by user (empty when none). */
    Map<String, Marker> markers(LogId log);
}
