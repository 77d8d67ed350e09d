package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
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
 * nodes holding the room are told ({@link Control.RoomRulesChanged}) and re-check their sessions in it; after a
 * channel's roles change, the holders of each registered room of the channel are (open rooms of the default
 * channel cannot be listed: their snapshots see a default-channel role change once reloaded).
 */
public final class RoleOperations {

    /** Users one {@link #grantsOf} call may name. */
    public static final int MAX_USERS_PER_CALL = 100;
    static final List<String> CHANNEL_ROLES = List.of("owner", "admin");
    static final List<String> ROOM_ROLES = List.of("owner", "moderator");

    private final Roles roles;
    private final Broker broker;
    private final Function<String, Set<String>> roomsOfChannel;

    /** @param roomsOfChannel the registered rooms of a channel (an engine read) */
    RoleOperations(Roles roles, Broker broker, Function<String, Set<String>> roomsOfChannel) {
        this.roles = roles;
        this.broker = broker;
        this.roomsOfChannel = roomsOfChannel;
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
     * The holders of a room re-check their sessions in it. Sent also when nothing changed, so that a retry
     * after a failed send (the change stored, the control not delivered) still reaches them.
     */
    private void applied(Scope scope) {
        Set<String> rooms = scope.kind() == Roles.ScopeKind.ROOM ? Set.of(scope.id()) : call(() -> roomsOfChannel.apply(scope.id()));
        for (String room : rooms) {
            call(() -> broker.control(LogId.room(room), new Control.RoomRulesChanged(room)));
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
