package io.dino.gateway.engine;

/**
 * The core's side of the engine seam: the engine calls it with everything this node must deliver.
 * Engines never see sessions; they only tell the node what happened.
 *
 * <p>Calls for one log arrive in offset order and never concurrently for the same log. Implementations
 * must return quickly and must not block (they hand frames to per-session queues).
 */
public interface DeliveryListener {

    /** A publication appended to a log this node subscribed to. */
    void onPublication(Publication publication);

    /** A broadcast: delivered to every node, not stored. */
    void onBroadcast(Publication publication);

    /**
     * A user's presence in a room changed cluster-wide: their first session joined, or their last
     * session left, or (audience {@link Audience#NON_OPERATORS}) they became invisible or visible again.
     * Delivered to nodes subscribed to the room's log; the listener delivers it to the audience only.
     */
    void onMembership(String room, String user, boolean joined, Audience audience);

    /**
     * A control command for this node's sessions (see {@link Broker#control}); returns how many sessions it
     * affected. Like every other call here it must not block.
     */
    int onControl(Control command);
}
