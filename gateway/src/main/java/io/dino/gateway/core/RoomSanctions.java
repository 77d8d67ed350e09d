package io.dino.gateway.core;

import io.dino.gateway.engine.Sanctions.Sanction;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The bans and mutes a room's access snapshot ({@link RoomRules}) holds, as read with it: the room's bans, its
 * channel's bans and the room's mutes, by user. Expiry is decided when asked ({@link #banOf}, {@link #muteOf} take
 * the time), so a snapshot needs no invalidation when a sanction runs out; any change is sent through the control
 * plane and drops the snapshot.
 */
record RoomSanctions(Map<String, Sanction> roomBans, Map<String, Sanction> channelBans, Map<String, Sanction> mutes) {

    static final RoomSanctions NONE = new RoomSanctions(Map.of(), Map.of(), Map.of());

    RoomSanctions {
        roomBans = Map.copyOf(roomBans);
        channelBans = Map.copyOf(channelBans);
        mutes = Map.copyOf(mutes);
    }

    static RoomSanctions of(List<Sanction> roomBans, List<Sanction> channelBans, List<Sanction> mutes) {
        if (roomBans.isEmpty() && channelBans.isEmpty() && mutes.isEmpty()) {
            return NONE;
        }
        return new RoomSanctions(byUser(roomBans), byUser(channelBans), byUser(mutes));
    }

    /** The user's active ban of the room, else of its channel. */
    Optional<Sanction> banOf(String user, long nowMs) {
        if (roomBans.isEmpty() && channelBans.isEmpty()) {
            return Optional.empty();
        }
        Sanction ban = roomBans.get(user);
        if (ban != null && ban.activeAt(nowMs)) {
            return Optional.of(ban);
        }
        return Optional.ofNullable(channelBans.get(user)).filter(b -> b.activeAt(nowMs));
    }

    /** The user's active mute in the room. */
    Optional<Sanction> muteOf(String user, long nowMs) {
        if (mutes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(mutes.get(user)).filter(m -> m.activeAt(nowMs));
    }

    private static Map<String, Sanction> byUser(List<Sanction> sanctions) {
        return sanctions.stream().collect(Collectors.toMap(Sanction::user, Function.identity(), (a, b) -> b));
    }
}
