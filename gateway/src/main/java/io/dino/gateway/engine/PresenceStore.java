package io.dino.gateway.engine;

import java.util.Collection;
import java.util.List;

/**
 * Who is online and who is in which room, counted per user: a user with several sessions (tabs,
 * devices, nodes) is online once and a member once.
 *
 * <p>Each change reports whether it changed the user's cluster-wide state, so exactly one
 * joined/left event is emitted per user, not per session. Changes for the same session are made by
 * one thread at a time; changes for different sessions may race and must stay correct.
 *
 * <p>It also keeps each online user's {@link UserStatus} (one per user, shared by the user's sessions,
 * {@code ONLINE} until set; forgotten when the user's last session ends) and each user's last-online time:
 * when the user's last session ended, recorded atomically with that removal, also when the removal is the
 * cleanup of a dead node's sessions. The store's clock stamps it.
 */
public interface PresenceStore extends AutoCloseable {

    /** Records that a session is connected; returns true when it is the user's first session. */
    boolean connect(SessionRef session);

    /**
     * Removes a session; returns true when it was the user's last session, and then records the user's
     * last-online time and forgets the user's status, in the same atomic step.
     */
    boolean disconnect(SessionRef session);

    /** Adds a session to a room; returns true when it is the user's first session in the room. */
    boolean join(String room, SessionRef session);

    /** Removes a session from a room; returns true when it was the user's last session in the room. */
    boolean leave(String room, SessionRef session);

    /** Users with at least one session in the room, sorted. */
    List<String> members(String room);

    /**
     * {@link #members(String)} of several rooms, hidden members included: one entry per distinct room, in the
     * order first asked, an empty list for a room nobody is in. Each room's list is read consistently (a room's
     * members live together); the rooms are not one snapshot: a change landing between two rooms' reads may be
     * seen in one and not the other. The Redis engine reads all rooms in one pipelined round trip.
     */
    java.util.Map<String, List<String>> membersOfRooms(Collection<String> rooms);

    /**
     * The rooms each user has at least one session in, on any node, hidden memberships included: one entry per
     * distinct user, in the order first asked, rooms sorted, an empty list for a user in no room. It follows
     * {@link #join}/{@link #leave} (and {@link Rooms#enter}), a closed session's leaves and the cleanup of a dead
     * node's sessions. The Redis engine keeps it in a per-user index beside the room's own keys (another slot), so
     * it is not atomic with the membership: the index is written first, so while a join or leave is under way a reader
     * may see the room listed a moment before the membership lands, or gone a moment before it goes; once the join
     * or leave has returned, both agree (docs/architecture.md, "The user's room index").
     */
    java.util.Map<String, List<String>> roomsOfUsers(Collection<String> users);

    /**
     * Marks a member of the room as hidden (an invisible user) or not. A user's hidden mark in a room goes
     * with the user's last session in the room. Returns true when it changed, so that of several nodes
     * applying the same change only one announces it; false (and nothing stored) when the user is not in the room.
     */
    boolean setHidden(String room, String user, boolean hidden);

    /** The room's members that are not hidden, sorted: the member list users other than operators see. */
    List<String> visibleMembers(String room);

    /** Users with at least one connected session, sorted. */
    List<String> onlineUsers();

    /** Which of the given users are online. */
    List<String> online(Collection<String> users);

    /**
     * Sets the status of a user who is online, for all the user's sessions; {@code ONLINE} resets it. Returns
     * false, changing nothing, when the user has no session (a status is never stored for an offline user).
     *
     * @throws IllegalArgumentException for {@code OFFLINE}, which is not a status one sets
     */
    boolean setStatus(String user, UserStatus status);

    /** Status and last-online time of each of the given users, in the order asked (duplicates kept). */
    List<UserPresence> presence(List<String> users);

    @Override
    void close();
}
