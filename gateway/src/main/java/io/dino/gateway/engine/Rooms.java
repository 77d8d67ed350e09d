package io.dino.gateway.engine;

import java.util.List;
import java.util.Optional;

/**
 * Entering a room as one engine step. A join touches presence (is this the user's first session in the
 * room, to announce?), the node's interest in the room's log (when its first local session enters) and
 * reads the room's position, its members and, for a client that says where it stopped, what it missed.
 * Done as separate calls that is eight Redis round trips; as one step an engine can do it in two.
 */
public interface Rooms {

    /**
     * What the joiner needs.
     *
     * @param top      the room log's position when the session entered
     * @param members  users in the room, the joiner included, sorted
     * @param hidden   which of the members are hidden (invisible users)
     * @param recovery what was missed since the position the client gave, if it gave one
     */
    record Entered(Position top, List<String> members, java.util.Set<String> hidden, Optional<Recovery> recovery) {
    }

    /**
     * Adds the session to the room's presence and announces {@code joined} to the room when it is the user's
     * first session there; with {@code subscribe}, this node starts delivering the room's log (its first local
     * session entered). With {@code hidden} (the user is invisible) the user is marked hidden in the room
     * ({@link PresenceStore#setHidden}) in the same step and {@code joined} goes to {@link Audience#OPERATORS} only.
     * On failure the engine keeps no trace of the session in the room (what a failure leaves
     * in Redis is removed by the node's housekeeping).
     */
    default Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit,
                          boolean hidden) {
        return enter(room, session, subscribe, since, recoveryLimit, hidden, 0, true);
    }

    /**
     * {@link #enter(String, SessionRef, boolean, Optional, int, boolean)} for a room with a capacity and a choice
     * about membership events.
     *
     * @param capacity most users in the room at once, 0 for no limit: when the room holds that many users and the
     *                 session's user is not one of them, nothing changes and {@link RoomFullException} is thrown;
     *                 the look at the count and the entering are one atomic step (no two joins both take the last place)
     * @param announce false: no {@code joined} is announced, to anyone (a room without membership events)
     */
    Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit,
                  boolean hidden, int capacity, boolean announce);
}
