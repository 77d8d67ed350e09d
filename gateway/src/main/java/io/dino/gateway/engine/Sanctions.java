package io.dino.gateway.engine;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Bans and mutes, cluster-wide: who may not join a room, a channel's rooms or connect at all, and who may not send
 * in a room, until when. The engine stores and indexes; what a sanction stops, and who may set one, is the core's.
 *
 * <p>Contract: one sanction per kind, target and user: {@link #put} replaces the one stored (a new duration, a new
 * reason). A sanction whose {@code until} has passed counts as absent everywhere (lazy expiry): no read answers it,
 * {@link #remove} of it answers false, and writes and lists prune it. Every change is visible to every node's
 * reads once it returns. Reads answer sanctions sorted by user (lists of a target) or by kind of target and target
 * ({@link #bansOf}). Failures throw {@link EngineUnavailableException}.
 */
public interface Sanctions {

    /** A ban keeps the user out; a mute keeps the user from sending (rooms only). */
    enum Kind { BAN, MUTE }

    /** What a ban applies to; mutes apply to rooms only. */
    enum Scope { ROOM, CHANNEL, GLOBAL }

    /** A room, a channel (by id) or everywhere (id empty). */
    record Target(Scope scope, String id) {
        public static final Target GLOBAL = new Target(Scope.GLOBAL, "");

        public static Target room(String id) {
            return new Target(Scope.ROOM, id);
        }

        public static Target channel(String id) {
            return new Target(Scope.CHANNEL, id);
        }

        /** {@code room}, {@code channel} or {@code global}, as the protocol names the scope. */
        public String scopeName() {
            return scope.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One ban or mute.
     *
     * @param by     who set it (a user id or {@code system})
     * @param reason why, empty when none (no control characters)
     * @param at     when it was set, ms since the epoch
     * @param until  when it ends, ms since the epoch; 0 = never
     */
    record Sanction(Kind kind, Target target, String user, String by, String reason, long at, long until) {
        public boolean activeAt(long nowMs) {
            return until == 0 || until > nowMs;
        }

        public boolean permanent() {
            return until == 0;
        }
    }

    /** Stores the sanction, replacing the user's sanction of that kind in that target, and prunes the target's expired ones. */
    void put(Sanction sanction);

    /** Removes the user's sanction of that kind in that target; true if an active one was there. */
    boolean remove(Kind kind, Target target, String user, long nowMs);

    /** The active sanctions of that kind in that target, sorted by user (expired ones are pruned). */
    List<Sanction> list(Kind kind, Target target, long nowMs);

    /** The user's active sanction of that kind in that target, if any. */
    Optional<Sanction> find(Kind kind, Target target, String user, long nowMs);

    /** The user's active bans in every scope (room, channel, global), sorted by scope then target. */
    List<Sanction> bansOf(String user, long nowMs);

    /** Forgets every sanction of the target (a removed room or channel); users' index entries may stay (never answered). */
    void clear(Collection<Target> targets);
}
