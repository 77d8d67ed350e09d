package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * "Which rooms may this user join?" for the backend (ListJoinableRooms): the registered rooms whose {@code join}
 * decision passes for a user with the given token claims, joining from outside the room. The decision is the
 * join's own ({@link RoomRules#check}, on snapshots {@link RoomPolicy#rulesOf} reads as a join's are read), so a
 * room listed here is one the user's {@code join} gets into, capacity aside.
 */
public final class JoinableRooms {

    /** Most rooms one answer lists. */
    public static final int MAX_ROOMS = 1000;
    /** Rooms whose rules are read together: bounds the reads in flight, and the reads past the last room needed. */
    private static final int BATCH = 100;

    /** The rooms, by channel then name, and whether there were more than {@link #MAX_ROOMS}. */
    public record Joinable(List<RoomRecord> rooms, boolean truncated) {
        public Joinable {
            rooms = List.copyOf(rooms);
        }
    }

    private final Directory directory;
    private final RoomPolicy policy;
    private final RoomAdmin admin;

    public JoinableRooms(Directory directory, RoomPolicy policy, RoomAdmin admin) {
        this.directory = directory;
        this.policy = policy;
        this.admin = admin;
    }

    /**
     * The rooms a user with these roles and attributes may join, in one channel or (empty) every channel, ordered
     * by channel ({@link Directory#CHANNEL_ORDER}) then name ignoring case. Operators: every room.
     */
    public Joinable of(String user, Set<String> roles, Map<String, String> attributes, Optional<String> channel) {
        Names.user(user);
        Principal principal = new Principal(user, roles, attributes, Instant.MAX);
        List<ChannelRecord> channels = channel.filter(id -> !id.isEmpty())
                .map(id -> List.of(admin.channel(id)))
                .orElseGet(() -> call(directory::channels).stream().sorted(Directory.CHANNEL_ORDER).toList());
        List<RoomRecord> joinable = new ArrayList<>();
        for (ChannelRecord in : channels) {
            Set<String> ids = call(() -> directory.roomsOf(in.id()));
            List<RoomRecord> rooms = call(() -> directory.rooms(ids)).values().stream()
                    .filter(room -> room.channel().equals(in.id()))
                    .sorted(Comparator.comparing((RoomRecord room) -> Directory.nameKey(room.name())).thenComparing(RoomRecord::id))
                    .toList();
            for (int from = 0; from < rooms.size() && joinable.size() <= MAX_ROOMS; from += BATCH) {
                List<RoomRecord> batch = rooms.subList(from, Math.min(rooms.size(), from + BATCH));
                if (principal.isOperator()) {
                    joinable.addAll(batch);  // operators pass every rule: nothing to read
                    continue;
                }
                for (RoomRules rules : call(() -> policy.rulesOf(in, batch))) {
                    if (rules.check(AclSubject.of(principal), RoomAction.JOIN).passed()) {
                        joinable.add(rules.record().orElseThrow());
                    }
                }
            }
            if (joinable.size() > MAX_ROOMS) {
                break;
            }
        }
        boolean truncated = joinable.size() > MAX_ROOMS;
        return new Joinable(truncated ? joinable.subList(0, MAX_ROOMS) : joinable, truncated);
    }
}
