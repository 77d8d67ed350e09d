package io.dino.gateway.engine;

import java.util.Map;
import java.util.Set;

/**
 * Where each room's access rules are kept, cluster-wide: per room, action id → rule text. The engine
 * stores text only; what the rules mean is the core's ({@code io.dino.gateway.acl}).
 *
 * <p>Contract: {@link #set} replaces a room's rules as a whole and atomically — a reader on any node sees
 * the old rules or the new ones, never a mix — and once it returns every node's {@link #get} answers
 * the new rules. Rules are kept until replaced (an empty map removes them); they do not expire with the
 * room's log. Failures throw {@link EngineUnavailableException}.
 *
 * <p>{@link #roomsWithRule} finds the rooms that have a rule for an action (e.g. the autojoin rooms) without
 * reading every room: what it answers is checked against each room's rules as they are when read, so a room
 * whose rule was just removed is not in the answer; a room whose rule is being added may show only once
 * {@link #set} returned.
 */
public interface RoomAcls {

    /** The room's rules: action id → rule text; empty when the room has none. */
    Map<String, String> get(String room);

    /** Replaces the room's rules; an empty map removes them. */
    void set(String room, Map<String, String> rules);

    /** The rooms whose rules have a rule for the action (action id as stored), in no particular order. */
    Set<String> roomsWithRule(String action);
}
