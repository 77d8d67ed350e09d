package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Tombstones;
import io.dino.gateway.engine.Rooms;
import io.dino.gateway.engine.Sanctions;
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
                         DomainEvents events, ReceiptOperations receipts, MessageDeletes deletes, Blacklisting blacklist,
                         Reports reports, SanctionOperations sanctions, TokenOperations tokens) {

    public static Operations create(String nodeId, Engine engine, Hub hub, RoomPolicy policy, GatewayConfig config,
                                    GatewayMetrics metrics, InstantSource clock, DomainEvents events, TokenVerifier verifier,
                                    ScheduledExecutorService timers) {
        Broker broker = engine.broker();
        PresenceStore presence = engine.presence();
        Roles roles = engine.roles();
        Directory directory = engine.directory();
        Tombstones tombstones = engine.tombstones();
        HistoryPages pages = new HistoryPages(broker, tombstones, config);
        Happenings happenings = new Happenings(events, clock);
        RoomOperations roomOperations = new RoomOperations(broker, presence, engine.rooms(), hub, policy, pages, config, metrics,
                happenings);
        RoomControls controls = new RoomControls(broker, directory);
        RoomAdmin admin = new RoomAdmin(directory, roles, engine.sanctions(), presence, policy, controls, config.rooms(), clock, happenings);
        ReceiptOperations receiptOperations = new ReceiptOperations(broker, engine.receipts(), presence, policy, pages, hub, config, metrics);
        Blacklisting blacklist = new Blacklisting(engine.blacklist());
        AdminRoom adminRoom = new AdminRoom(config.abuse().adminRoom(), broker, presence, clock);
        admin.keep(adminRoom.room());
        ShadowBlocks shadowBlocks = new ShadowBlocks(blacklist, adminRoom, broker, hub, events, clock);
        SanctionOperations sanctions = new SanctionOperations(broker, presence, directory, roles, policy, engine.sanctions(),
                events, clock);
        SessionOperations sessions = new SessionOperations(nodeId, broker, presence, hub, roomOperations,
                new Autojoin(roomOperations, policy, config), pages, config, clock, receiptOperations, happenings, sanctions);
        return new Operations(
                sessions,
                roomOperations,
                new MessageOperations(broker, policy, pages, config, metrics, clock, shadowBlocks, happenings),
                new PresenceOperations(broker, presence, config, happenings),
                pages,
                new RoleOperations(roles, controls),
                admin,
                new UserRooms(directory, roles, presence, policy, admin, roomOperations, hub, config.rooms()),
                new Whispers(broker, presence, policy, config, metrics, clock, shadowBlocks, happenings),
                new Moderation(broker, presence, policy, hub, roomOperations, happenings, sanctions, config.moderation().kickBan()),
                events,
                receiptOperations,
                new MessageDeletes(broker, tombstones, policy, events, clock),
                blacklist,
                new Reports(adminRoom, events, clock),
                sanctions,
                new TokenOperations(verifier, engine.revocations(), broker, hub, sessions, timers, config.auth(), clock));
    }
}
