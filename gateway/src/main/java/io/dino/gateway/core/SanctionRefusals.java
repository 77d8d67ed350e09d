package io.dino.gateway.core;

import io.dino.gateway.engine.Sanctions.Sanction;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refusals bans and mutes cause, decided from a room's access snapshot ({@link RoomRules#sanctions()}: no engine
 * call) or from a global ban read at connect: BANNED with {@code until} (and {@code reason} when there is one) in
 * the error's details, MUTED with {@code until} and, unless permanent, {@code retryAfterMs}.
 */
final class SanctionRefusals {

    private SanctionRefusals() {
    }

    /** BANNED when the user is banned from the room or its channel. */
    static void requireNotBanned(RoomRules rules, String user, long nowMs) {
        rules.sanctions().banOf(user, nowMs).ifPresent(ban -> {
            throw banned(ban);
        });
    }

    /** MUTED when the user is muted in the room. */
    static void requireNotMuted(RoomRules rules, String user, long nowMs) {
        rules.sanctions().muteOf(user, nowMs).ifPresent(mute -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("until", mute.until());
            if (!mute.permanent()) {
                details.put("retryAfterMs", Math.max(1, mute.until() - nowMs));
            }
            throw new DinoException(ErrorCode.MUTED, "muted in room '" + rules.room() + "' " + until(mute.until()), details);
        });
    }

    /** {@code banned from room 'x' until 2026-12-01T10:00:00Z}, {@code banned from channel 'c' permanently}, {@code banned ...}. */
    static DinoException banned(Sanction ban) {
        String where = switch (ban.target().scope()) {
            case ROOM -> "from room '" + ban.target().id() + "' ";
            case CHANNEL -> "from channel '" + ban.target().id() + "' ";
            case GLOBAL -> "";
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("until", ban.until());
        if (!ban.reason().isEmpty()) {
            details.put("reason", ban.reason());
        }
        return new DinoException(ErrorCode.BANNED, "banned " + where + until(ban.until()), details);
    }

    /** {@code until 2026-12-01T10:00:00Z} or {@code permanently}. */
    static String until(long untilMs) {
        return untilMs == 0 ? "permanently" : "until " + Instant.ofEpochMilli(untilMs);
    }
}
