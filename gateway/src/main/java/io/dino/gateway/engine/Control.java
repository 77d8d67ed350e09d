package io.dino.gateway.engine;

/**
 * A command for sessions that any node of the cluster may hold, carried by the engine's control plane
 * ({@link Broker#control}) to exactly the nodes that hold them and applied there by the core
 * ({@link DeliveryListener#onControl}). The engine only carries commands; what they mean is the core's.
 */
public sealed interface Control {

    /** Closes every session of the user with a {@code disconnect} event (code DISCONNECTED). */
    record DisconnectUser(String user, String reason, boolean reconnect) implements Control {
    }

    /**
     * A room's access rules changed (already stored): nodes drop what they cached of them and take the
     * sessions that no longer pass {@code join} out of the room. Sent to the holders of the room's log.
     *
     * @param rules the new rules, action id → rule text (empty: none)
     */
    record RoomAclChanged(String room, java.util.Map<String, String> rules) implements Control {
        public RoomAclChanged {
            rules = java.util.Map.copyOf(rules);
        }
    }

    /**
     * Something a room's access depends on changed (stored already: a stored role, for now): nodes holding the
     * room drop what they cached of it and re-check their sessions in it, taking out those that no longer
     * pass {@code join}. Unlike {@link RoomAclChanged} it carries nothing: each node reads what it needs again.
     * Sent to the holders of the room's log.
     */
    record RoomRulesChanged(String room) implements Control {
    }

    /**
     * A registered room was renamed (stored already): every session in it is told the new name (a
     * {@code renamed} event). Sent to the holders of the room's log.
     */
    record RoomRenamed(String room, String name) implements Control {
    }

    /**
     * A registered room was removed (stored already): every session in it is taken out with a {@code removed}
     * event (reason {@code room removed}). Sent to the holders of the room's log.
     */
    record RoomRemoved(String room) implements Control {
    }

    /**
     * The single-session rule: closes every session of the user that is older than {@code newest} (session ids
     * sort by creation time) with a {@code disconnect} event (code REPLACED, no reconnect). Sessions newer than
     * it stay, so two connects racing leave the newest session, not none.
     */
    record ReplaceSessions(String user, String newest) implements Control {
    }

    /**
     * A user was kicked out of a room (by {@code by}, with an optional {@code reason}, empty when none): each node
     * takes every local session of the user out of the room without a {@code left} event, and tells them and every
     * other local session in the room {@code kicked}. {@code spareOperators}: the kick was not an operator's, so
     * sessions whose token makes them operators stay (and the node tells nobody). Sent to the holders of the room's log.
     */
    record KickUser(String room, String user, String by, String reason, boolean spareOperators) implements Control {
    }

    /**
     * Changes nothing: answers how many of the user's sessions belong to operators (their token says so, and only
     * the nodes holding them know it), so that what only operators may do to operators can be refused first.
     * Sent to the holders of the user's log.
     */
    record OperatorSessions(String user) implements Control {
    }

    /** The user's status changed: the user's sessions are told (a {@code status} event). */
    record StatusChanged(String user, String status) implements Control {
    }

    /**
     * Tokens of a user were revoked (stored already): each node closes the user's sessions whose token the revocation
     * covers with a {@code disconnect} event (code TOKEN_REVOKED, no reconnect). {@code tokenId} not empty: the session
     * whose token has that id; empty: every session whose token was issued before {@code issuedBefore} or does not say
     * when (see {@link Revocations#revokes}). Sent to the holders of the user's log; answers how many sessions closed.
     */
    record RevokeTokens(String user, String tokenId, java.time.Instant issuedBefore) implements Control {
    }
}
