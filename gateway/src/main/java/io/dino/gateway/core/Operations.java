package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Rooms;
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
                         DomainEvents events) {

    public static Operations create(String nodeId, Broker broker, PresenceStore presence, Rooms rooms, Roles roles,
                                    Directory directory, Hub hub, RoomPolicy policy, GatewayConfig config, GatewayMetrics metrics, InstantSource clock,
                                    DomainEvents events) {
        HistoryPages pages = new HistoryPages(broker, config);
        Happenings happenings = new Happenings(events, clock);
        RoomOperations roomOperations = new RoomOperations(broker, presence, rooms, hub, policy, pages, config, metrics,
                happenings);
        RoomControls controls = new RoomControls(broker, directory);
        RoomAdmin admin = new RoomAdmin(directory, roles, presence, policy, controls, config.rooms(), clock, happenings);
        return new Operations(
                new SessionOperations(nodeId, broker, presence, hub, roomOperations,
                        new Autojoin(roomOperations, policy, config), pages, config, clock, happenings),
                roomOperations,
                new MessageOperations(broker, policy, pages, config, metrics, clock, happenings),
                new PresenceOperations(broker, presence, config, happenings),
                pages,
                new RoleOperations(roles, controls),
                admin,
                new UserRooms(directory, roles, presence, policy, admin, roomOperations, hub, config.rooms()),
                new Whispers(broker, presence, policy, config, metrics, clock, happenings),
                new Moderation(broker, presence, policy, hub, roomOperations, happenings),
                events);
    }
}
