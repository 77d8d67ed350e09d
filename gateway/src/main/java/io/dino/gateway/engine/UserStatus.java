package io.dino.gateway.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * A user's status, one per user (all the user's sessions share it). {@link #OFFLINE} is not set: a user
 * without a session is offline, and the status a user set ends with the user's last session (the next
 * session starts {@link #ONLINE}).
 */
public enum UserStatus {
    ONLINE, AWAY, INVISIBLE, OFFLINE;

    /** The name on the wire: {@code online}, {@code away}, {@code invisible}, {@code offline}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a wire name, if it is one. */
    public static Optional<UserStatus> ofWireName(String name) {
        for (UserStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
