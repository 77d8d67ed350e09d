package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.EngineUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Autojoin rooms: rooms whose rules have an {@code autojoin} rule. A session that has just opened enters each
 * one whose {@code autojoin} and {@code join} rules it passes (operators: every one), in room-id order, up to the
 * per-session room limit. A room it cannot enter (a rule, the limit, the engine) is skipped: autojoin is a
 * convenience of the connect, never a reason for it to fail. Each join is an ordinary {@link RoomOperations#join}
 * (the room's members see {@code joined}).
 */
final class Autojoin {

    private static final System.Logger LOG = System.getLogger(Autojoin.class.getName());

    private final RoomOperations rooms;
    private final RoomPolicy policy;
    private final GatewayConfig.Limits limits;

    Autojoin(RoomOperations rooms, RoomPolicy policy, GatewayConfig config) {
        this.rooms = rooms;
        this.policy = policy;
        this.limits = config.limits();
    }

    /** Joins the session to the autojoin rooms it may enter; answers the rooms joined, in the order joined. */
    List<RoomOperations.JoinResult> join(Session session) {
        List<String> candidates;
        try {
            candidates = policy.roomsWithRule(RoomAction.AUTOJOIN).stream().sorted().toList();
        } catch (EngineUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0} joins no autojoin room: {1}", session.id(), e.getMessage());
            return List.of();
        }
        List<RoomOperations.JoinResult> joined = new ArrayList<>();
        for (String room : candidates) {
            if (session.roomCount() >= limits.maxRoomsPerSession()) {
                break;
            }
            try {
                // the autojoin rule here; join checks the join rule (again once in, as for any join)
                if (session.principal().isOperator()
                        || autojoins(session, policy.current(room))) {
                    joined.add(rooms.join(session, room, Optional.empty()));
                }
            } catch (DinoException | EngineUnavailableException e) {
                if (e instanceof DinoException refused && refused.code() == ErrorCode.DISCONNECTED) {
                    break;  // closed meanwhile
                }
                // NOT_ALLOWED, TOO_MANY_ROOMS, UNAVAILABLE: skip the room
            }
        }
        return List.copyOf(joined);
    }

    private boolean autojoins(Session session, RoomRules rules) {
        return rules.check(policy.subject(session, rules), RoomAction.AUTOJOIN).passed();
    }
}
