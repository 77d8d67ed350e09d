package io.dino.gateway.engine;

import java.util.OptionalLong;

/**
 * What the presence store knows of one user: the status ({@link UserStatus#OFFLINE} when no session is
 * connected) and when the user's last session ended (empty if no session of the user ever ended, as far as
 * the store remembers).
 */
public record UserPresence(String user, UserStatus status, OptionalLong lastOnline) {
}
