package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Directory;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules for display names of rooms and channels (ids follow {@link Names#room}): trimmed, 1 to
 * {@code dino.rooms.max-name-length} characters, no control characters; the reserved names
 * ({@code dino.rooms.reserved-names}, ignoring case) only for operators and backends.
 */
final class RoomNames {

    private final int maxLength;
    private final Set<String> reserved;

    RoomNames(GatewayConfig.Rooms config) {
        this.maxLength = config.maxNameLength();
        this.reserved = config.reservedNames().stream().map(Directory::nameKey).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The name as stored (trimmed), or INVALID_VALUE naming the limit; {@code privileged} (an operator or a
     * backend) may give a reserved name, anyone else gets NAME_RESERVED. {@code what} is "room" or "channel".
     */
    String valid(String what, String name, boolean privileged) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > maxLength
                || trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    what + " name must be 1-" + maxLength + " characters without control characters");
        }
        if (!privileged && reserved.contains(Directory.nameKey(trimmed))) {
            throw new DinoException(ErrorCode.NAME_RESERVED, "the name '" + trimmed + "' is reserved");
        }
        return trimmed;
    }

    /** A channel or room id: the charset of {@link Names#room}, the message naming what it is. */
    static String id(String what, String id) {
        try {
            return Names.room(id);
        } catch (DinoException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, e.getMessage().replaceFirst("^room", what));
        }
    }
}
