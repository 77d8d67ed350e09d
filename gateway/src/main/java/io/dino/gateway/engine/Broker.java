package io.dino.gateway.engine;

import java.util.List;

/**
 * Cross-node delivery and the logs behind it.
 *
 * <p>Contract (the engine contract tests check each point, for every engine):
 * <ul>
 *   <li>{@link #publish} appends to the log atomically: offsets within an epoch are contiguous and
 *       assigned in one total order, also with concurrent publishers on different nodes.</li>
 *   <li>A publish returns only once the publication is stored; if it could not be stored it throws
 *       {@link EngineUnavailableException}: the publish is not acknowledged. (When the store did not
 *       answer in time it may still have stored it; a retry with the same idempotency key is safe.)</li>
 *   <li>Every node that {@link #subscribe subscribed} to the log receives the publication through its
 *       {@link DeliveryListener}, in offset order, at least once. Nodes not subscribed receive nothing.</li>
 *   <li>A publish with an idempotency key already used for the same log within the idempotency window
 *       stores nothing and returns the first publication.</li>
 *   <li>History returns stored publications in offset order; the log keeps at least the configured
 *       number of recent publications, and, with a max-age, none older than that once it receives
 *       new ones.</li>
 *   <li>A log that receives nothing for {@link Retention#idleLifetime} (max-age and a margin) is
 *       forgotten as a whole: it reads as {@link Position#EMPTY} and its next publication starts a new
 *       epoch. A log with a publication younger than that stays.</li>
 *   <li>Recovery returns exactly the publications after a position, or says it cannot. After
 *       {@link Position#EMPTY} (the client saw the log before it had publications) that is every
 *       publication of the log's current epoch. (An empty position carries no time: if a whole
 *       earlier epoch began and expired while the client was away, longer than the retention, its
 *       publications, expired by then, are not reported as missed.)</li>
 *   <li>Only {@link #publish} creates a log: reading one that has no publications ({@link #top},
 *       history, {@link #recover}) answers {@link Position#EMPTY} and stores nothing, and what
 *       {@link #subscribe} stores goes with {@link #unsubscribe}.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Starts delivering to the listener. Called once, before any other method. */
    void start(DeliveryListener listener);

    /** Appends to the log and routes to every subscribed node. */
    Publication publish(LogId log, Draft draft);

    /** Delivers to every node's listener; nothing is stored. */
    void broadcast(Publication publication);

    /** Tells the room's subscribers that a user's first session joined or last session left. */
    default void announceMembership(String room, String user, boolean joined) {
        announceMembership(room, user, joined, Audience.EVERYONE);
    }

    /** Tells the room's subscribers that a user joined or left, for the given audience of the room's sessions. */
    void announceMembership(String room, String user, boolean joined, Audience audience);

    /**
     * Applies a control command on every node subscribed to {@code holders} (the nodes holding sessions of a
     * user, for a user's log; of a room's members, for a room's log), this node included, in order with the
     * deliveries of each node. Returns once every such node has applied it or has been declared dead (its
     * sessions are gone with it), with the number of sessions the command affected. Throws
     * {@link EngineUnavailableException} when the command could not be sent or a live node did not answer
     * within the node timeout.
     */
    int control(LogId holders, Control command);

    /** This node now delivers the log to local sessions. Idempotent. */
    void subscribe(LogId log);

    /** This node no longer has local sessions for the log. Idempotent. */
    void unsubscribe(LogId log);

    /** The log's current epoch and last offset; {@link Position#EMPTY} for a log without publications. */
    Position top(LogId log);

    /** A page of a log, oldest first, with the log's position read in the same step. */
    record Page(Position top, List<Publication> messages) {
    }

    /** The latest {@code limit} publications of the log, oldest first. */
    default List<Publication> latest(LogId log, int limit) {
        return before(log, Long.MAX_VALUE, limit);
    }

    /** Up to {@code limit} publications with offsets below {@code offset}, the newest of them, oldest first. */
    default List<Publication> before(LogId log, long offset, int limit) {
        return pageBefore(log, offset, limit).messages();
    }

    /** Up to {@code limit} publications with offsets above {@code offset}, the oldest of them, oldest first. */
    default List<Publication> after(LogId log, long offset, int limit) {
        return pageAfter(log, offset, limit).messages();
    }

    /** {@link #before}, with the log's position. */
    Page pageBefore(LogId log, long offset, int limit);

    /** {@link #after}, with the log's position. */
    Page pageAfter(LogId log, long offset, int limit);

    /**
     * Appends each draft to its log, as {@link #publish} does one at a time; an engine may batch them. Returns
     * the publications in the order of the map.
     */
    default List<Publication> publishEach(java.util.SequencedMap<LogId, Draft> drafts) {
        List<Publication> publications = new java.util.ArrayList<>(drafts.size());
        drafts.forEach((log, draft) -> publications.add(publish(log, draft)));
        return publications;
    }

    /**
     * Everything after {@code since}, if the log still holds all of it and it is at most {@code limit}
     * publications; otherwise {@link Recovery#notRecovered}. Never a partial replay.
     */
    Recovery recover(LogId log, Position since, int limit);

    /**
     * Why the engine cannot serve now (e.g. its store is unreachable), or empty when it can; cheap, no round
     * trip: readiness asks it on every probe.
     */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }

    /** Stops delivering and releases resources. */
    @Override
    void close();
}
