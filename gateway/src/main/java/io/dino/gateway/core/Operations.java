package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.ops.GatewayMetrics;

import java.time.InstantSource;

/**
 * Every operation a client session or a backend service can perform, grouped by what it works on, so both
 * edges apply the same rules: validate, check membership, access rules and limits, then change shared state
 * through the engine. Errors are {@link DinoException}s; engine failures become UNAVAILABLE, never success.
 */
public record Operations(SessionOperations sessions, RoomOperations rooms, MessageOperations messages,
                         PresenceOperations presence, HistoryPages pages, RoleOperations roles,
                         RoomAdmin admin, UserRooms userRooms, Whispers whispers, Moderation moderation,
                         DomainEvents events, SanctionOperations sanctions) {

    public static Operations create(String nodeId, Broker broker, PresenceStore presence, Rooms rooms, Roles roles,
                                    Directory directory, Hub hub, RoomPolicy policy, GatewayConfig config, GatewayMetrics metrics, InstantSource clock,
                                    DomainEvents events, Sanctions sanctionStore) {
        HistoryPages pages = new HistoryPages(broker, config);
        RoomOperations roomOperations = new RoomOperations(broker, presence, rooms, hub, policy, pages, config, metrics);
        RoomControls controls = new RoomControls(broker, directory);
        RoomAdmin admin = new RoomAdmin(directory, roles, presence, policy, controls, config.rooms(), clock);
        SanctionOperations sanctions = new SanctionOperations(broker, presence, directory, roles, policy, sanctionStore,
                events, clock);
        return new Operations(
                new SessionOperations(nodeId, broker, presence, hub, roomOperations,
                        new Autojoin(roomOperations, policy, config), pages, config, clock, sanctions),
                roomOperations,
                new MessageOperations(broker, policy, pages, config, metrics, clock),
                new PresenceOperations(broker, presence, config),
                pages,
                new RoleOperations(roles, controls),
                admin,
                new UserRooms(directory, roles, presence, policy, admin, roomOperations, hub, config.rooms()),
                new Whispers(broker, presence, policy, config, metrics, clock),
                new Moderation(broker, presence, policy, hub, roomOperations, sanctions, config.moderation().kickBan()),
                events,
                sanctions);
    }
}
