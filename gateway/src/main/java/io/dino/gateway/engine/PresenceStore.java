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
 */
public interface PresenceStore extends AutoCloseable {

    /** Records that a session is connected; returns true when it is the user's first session. */
    boolean connect(SessionRef session);

    /** Removes a session; returns true when it was the user's last session. */
    boolean disconnect(SessionRef session);

    /** Adds a session to a room; returns true when it is the user's first session in the room. */
    boolean join(String room, SessionRef session);

    /** Removes a session from a room; returns true when it was the user's last session in the room. */
    boolean leave(String room, SessionRef session);

    /** Users with at least one session in the room, sorted. */
    List<String> members(String room);

    /** Users with at least one connected session, sorted. */
    List<String> onlineUsers();

    /** Which of the given users are online. */
    List<String> online(Collection<String> users);

    @Override
    void close();
}
