package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.ops.GatewayMetrics;

import io.dino.gateway.auth.TokenVerifier;

import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Every operation a client session or a backend service can perform, grouped by what it works on, so both
 * edges apply the same rules: validate, check membership, access rules and limits, then change shared state
 * through the engine. Errors are {@link DinoException}s; engine failures become UNAVAILABLE, never success.
 */
public record Operations(SessionOperations sessions, RoomOperations rooms, MessageOperations messages,
                         PresenceOperations presence, HistoryPages pages, RoleOperations roles,
                         RoomAdmin admin, UserRooms userRooms, Whispers whispers, Moderation moderation,
                         DomainEvents events, TokenOperations tokens) {

    public static Operations create(String nodeId, Broker broker, PresenceStore presence, Rooms rooms, Roles roles,
                                    Directory directory, Hub hub, RoomPolicy policy, GatewayConfig config, GatewayMetrics metrics, InstantSource clock,
                                    DomainEvents events, Revocations revocations, TokenVerifier verifier,
                                    ScheduledExecutorService timers) {
        HistoryPages pages = new HistoryPages(broker, config);
        RoomOperations roomOperations = new RoomOperations(broker, presence, rooms, hub, policy, pages, config, metrics);
        RoomControls controls = new RoomControls(broker, directory);
        RoomAdmin admin = new RoomAdmin(directory, roles, presence, policy, controls, config.rooms(), clock);
        SessionOperations sessions = new SessionOperations(nodeId, broker, presence, hub, roomOperations,
                new Autojoin(roomOperations, policy, config), pages, config, clock);
        return new Operations(
                sessions,
                roomOperations,
                new MessageOperations(broker, policy, pages, config, metrics, clock),
                new PresenceOperations(broker, presence, config),
                pages,
                new RoleOperations(roles, controls),
                admin,
                new UserRooms(directory, roles, presence, policy, admin, roomOperations, hub, config.rooms()),
                new Whispers(broker, presence, policy, config, metrics, clock),
                new Moderation(broker, presence, policy, hub, roomOperations),
                events,
                new TokenOperations(verifier, revocations, broker, hub, sessions, timers, config.auth(), clock));
    }
}
