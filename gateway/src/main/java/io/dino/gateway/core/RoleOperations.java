package io.dino.gateway.core;

import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Roles.Grant;
import io.dino.gateway.engine.Roles.Scope;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Stored roles as the backend manages them (trusted: no policy step): channel {@code owner} and {@code admin},
 * room {@code owner} and {@code moderator}. A change takes effect at once: after a room's roles change, the
 * nodes holding the room (or each room of the channel) are told ({@link io.dino.gateway.engine.Control.RoomRulesChanged})
 * and re-check their sessions in it.
 */
public final class RoleOperations {

    /** Users one {@link #grantsOf} call may name. */
    public static final int MAX_USERS_PER_CALL = 100;
    static final List<String> CHANNEL_ROLES = List.of("owner", "admin");
    static final List<String> ROOM_ROLES = List.of("owner", "moderator");

    private final Roles roles;
    private final RoomControls controls;

    RoleOperations(Roles roles, RoomControls controls) {
        this.roles = roles;
        this.controls = controls;
    }

    /** Gives the user the role in the scope; true if the user did not have it. */
    public boolean grant(Scope scope, String user, String role) {
        validate(scope, role);
        Names.user(user);
        boolean changed = call(() -> roles.grant(scope, user, role));
        applied(scope);
        return changed;
    }

    /** Takes the role from the user in the scope; true if the user had it. */
    public boolean revoke(Scope scope, String user, String role) {
        validate(scope, role);
        Names.user(user);
        boolean changed = call(() -> roles.revoke(scope, user, role));
        applied(scope);
        return changed;
    }

    /** For each distinct user asked (1-100), in the order asked, every role the user holds, sorted by scope and role. */
    public Map<String, List<Grant>> grantsOf(List<String> users) {
        if (users.isEmpty() || users.size() > MAX_USERS_PER_CALL) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "users must name 1-" + MAX_USERS_PER_CALL + " users");
        }
        users.forEach(Names::user);
        return call(() -> roles.grantsOf(users));
    }

    /** Everyone with a role in the scope, user → roles, both sorted. */
    public Map<String, Set<String>> holders(Scope scope) {
        validate(scope);
        return call(() -> roles.holders(scope));
    }

    /**
     * The holders of the room, or of each registered room of the channel, re-check their sessions there. Sent
     * also when nothing changed, so that a retry after a failed send (the change stored, the control not
     * delivered) still reaches them.
     */
    private void applied(Scope scope) {
        if (scope.kind() == Roles.ScopeKind.ROOM) {
            controls.roomChanged(scope.id());
        } else {
            controls.channelChanged(scope.id());
        }
    }

    private static void validate(Scope scope) {
        if (scope == null) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "scope must name a channel or a room");
        }
        String what = scope.kind() == Roles.ScopeKind.ROOM ? "room" : "channel";
        try {
            Names.room(scope.id());
        } catch (DinoException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, e.getMessage().replaceFirst("^room", what));
        }
    }

    private static void validate(Scope scope, String role) {
        validate(scope);
        List<String> allowed = scope.kind() == Roles.ScopeKind.ROOM ? ROOM_ROLES : CHANNEL_ROLES;
        if (role == null || !allowed.contains(role)) {
            String what = scope.kind() == Roles.ScopeKind.ROOM ? "a room" : "a channel";
            throw new DinoException(ErrorCode.INVALID_VALUE, "role of " + what + " must be one of "
                    + String.join(", ", allowed) + " (got '" + (role == null ? "" : role) + "')");
        }
    }
}
