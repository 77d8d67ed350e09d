package io.dino.gateway.engine;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Soft deletions of a room's messages, cluster-wide: the messages stay in the room's log (they can be restored),
 * and history and recovery reads leave out what the room's {@link Deletions} hide. Three kinds of tombstone per room:
 * single messages (by id), a user's messages up to a position (a cutoff), and all of the room up to a position.
 * A cutoff covers the messages at or below its offset in its epoch only: a log that restarted in a new epoch
 * has none of the old messages, and the old cutoff hides nothing of it.
 *
 * <p>Contract (the tombstones contract tests check each point, for every engine):
 * <ul>
 *   <li>A write is visible to every node's {@link #read} once it returns. Writes are idempotent: marking a marked
 *       message, or setting a cutoff at or below the one the user (or the room) has in that epoch, changes nothing.</li>
 *   <li>A cutoff only grows within an epoch; a cutoff of another epoch is replaced.</li>
 *   <li>{@link #read} is one read in the room's slot: an engine may send it at once and wait in
 *       {@link Supplier#get}, so it shares a round trip with the page read that follows it.</li>
 *   <li>Tombstones of messages the log no longer holds (expired, trimmed, another epoch) may be dropped at any
 *       write; with a max-age the room's tombstones go as a whole once every message they cover has expired.
 *       Nothing of this is on the send path: a publish never touches tombstones.</li>
 *   <li>Failures throw {@link EngineUnavailableException}.</li>
 * </ul>
 */
public interface Tombstones {

    /** One deleted message: its id, its sender and where it is in the room's log. */
    record Mark(String id, String sender, Position position) {
    }

    /**
     * What is deleted in one room's log.
     *
     * @param messages single deleted messages, by id
     * @param users    per user, the position up to which (inclusive) the user's messages are deleted
     * @param all      the position up to which (inclusive) every message of the room is deleted; {@link Position#EMPTY} for none
     */
    record Deletions(Map<String, Mark> messages, Map<String, Position> users, Position all) {

        public static final Deletions NONE = new Deletions(Map.of(), Map.of(), Position.EMPTY);

        public Deletions {
            messages = Map.copyOf(messages);
            users = Map.copyOf(users);
        }

        public boolean isEmpty() {
            return messages.isEmpty() && users.isEmpty() && all.equals(Position.EMPTY);
        }

        /** Whether the publication (of this room's log) is deleted. */
        public boolean hides(Publication publication) {
            if (messages.containsKey(publication.id())) {
                return true;
            }
            Position at = publication.position();
            return at != null && (covers(all, at) || covers(users.get(publication.sender()), at));
        }

        /** Whether a cutoff covers a position: the same epoch, at or below the cutoff. */
        public static boolean covers(Position cutoff, Position at) {
            return cutoff != null && cutoff.offset() > 0 && cutoff.epoch().equals(at.epoch()) && at.offset() <= cutoff.offset();
        }
    }

    /** Sends the read of the room's deletions; the supplier waits for the answer. */
    Supplier<Deletions> read(String room);

    /** Marks single messages of the room deleted. */
    void deleteMessages(String room, Collection<Mark> marks);

    /** Deletes the user's messages in the room up to {@code upTo} (inclusive, in its epoch). */
    void deleteUserUpTo(String room, String user, Position upTo);

    /** Deletes every message of the room up to {@code upTo} (inclusive, in its epoch). */
    void deleteAllUpTo(String room, Position upTo);

    /** Takes the marks of these messages away; answers the ids that were marked. */
    java.util.List<String> restoreMessages(String room, Collection<String> ids);

    /** Takes away the user's cutoff and the marks of the user's single messages; true if there was any. */
    boolean restoreUser(String room, String user);

    /** Takes away every tombstone of the room; true if there was any. */
    boolean restoreAll(String room);
}
