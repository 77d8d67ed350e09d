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
     * A user acknowledged a log up to a position (a receipt, stored already): the node tells its sessions a
     * {@code receipt} event. For a room's log ({@code log} a room, {@code to} empty), every local session in the
     * room; for a user's inbox ({@code log} the reader's inbox), the local sessions of {@code to}, who sent
     * {@code ids} of the acknowledged messages. Sent to the holders of the room's log, or of {@code to}'s log.
     *
     * @param kind   {@code delivered} or {@code read}
     * @param ids    ids of the newly acknowledged messages that {@code to} sent (empty for a room)
     */
    record Receipt(String to, LogId log, String user, String kind, String epoch, long offset,
                   java.util.List<String> ids) implements Control {
        public Receipt {
            ids = java.util.List.copyOf(ids);
        }
    }

    /**
     * Messages of a room were deleted (soft) or restored, stored already ({@link Tombstones}): every session in the
     * room is told (a {@code deleted} or {@code restored} event). Exactly one form: {@code ids} (single messages), a
     * {@code user}'s messages, or {@code all} of the room; a deletion of the last two forms says up to where
     * ({@code upTo}, {@link Position#EMPTY} for a restore). Sent to the holders of the room's log.
     */
    record DeletionsChanged(String room, String by, java.util.List<String> ids, String user, boolean all, Position upTo,
                            boolean restored) implements Control {
        public DeletionsChanged {
            ids = java.util.List.copyOf(ids);
            user = user == null ? "" : user;
        }
    }

    /**
     * A user was banned from a room, or from the room's channel ({@code scope} {@code room} or {@code channel}; stored
     * already): each node drops the room's cached access snapshot, takes every local session of the user out of the
     * room without a {@code left} event, and tells them and every other local session in the room {@code banned}.
     * {@code until}: ms since the epoch, 0 = permanent; {@code reason} empty when none; {@code spareOperators} as
     * {@link KickUser}. Sent to the holders of the room's log.
     */
    record BanUser(String room, String user, String by, String reason, long until, String scope,
                   boolean spareOperators) implements Control {
    }

    /**
     * A user was banned everywhere (stored already): every session of the user is closed with a {@code disconnect}
     * event (code BANNED, {@code until}, no reconnect). Sent to the holders of the user's log.
     */
    record BanUserGlobally(String user, String reason, long until) implements Control {
    }

    /**
     * A ban or mute that a room's access snapshot holds changed with nobody to take out (an unban, a channel ban
     * of a room the user is not in, a kick's short ban): nodes holding the room drop its cached snapshot. Sent to
     * the holders of the room's log.
     */
    record SanctionsChanged(String room) implements Control {
    }

    /**
     * A user was muted in a room until {@code until} (0 = permanent), or unmuted ({@code muted} false; stored
     * already): nodes drop the room's cached snapshot and tell every local session in the room {@code muted} or
     * {@code unmuted}. Sent to the holders of the room's log.
     */
    record MuteUser(String room, String user, String by, String reason, long until, boolean muted) implements Control {
    }

    /**
     * A ban of the user was lifted ({@code scope} {@code room}, {@code channel} or {@code global}, {@code target}
     * its id, empty for global; stored already): the user's sessions are told {@code unbanned}. Sent to the
     * holders of the user's log.
     */
    record UnbanUser(String user, String scope, String target) implements Control {
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
