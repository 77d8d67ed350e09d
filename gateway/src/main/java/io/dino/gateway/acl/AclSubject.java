package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;

import java.util.Map;
import java.util.Set;

/**
 * Who a rule is evaluated for, and in what context: the token ({@link Principal}: attributes, roles), roles
 * granted in the context of the room or channel (stored roles, named {@code owner}, {@code moderator},
 * {@code channel-owner}, {@code channel-admin}; {@code role=} terms see them as they see the token's), and
 * two facts about the session: whether it is in the room ({@code sameroom}) and in some room of the room's
 * channel ({@code samechannel}).
 *
 * @param principal    the session's token
 * @param contextRoles roles held here besides the token's (never operator roles: operators come from the token)
 * @param inRoom       the session is in the room the rule guards
 * @param inChannel    the session is in some room of that room's channel (true whenever {@code inRoom} is)
 */
public record AclSubject(Principal principal, Set<String> contextRoles, boolean inRoom, boolean inChannel) {

    public AclSubject {
        contextRoles = Set.copyOf(contextRoles);
        inChannel = inChannel || inRoom;
    }

    /** The token alone: no stored roles, in no room. */
    public static AclSubject of(Principal principal) {
        return new AclSubject(principal, Set.of(), false, false);
    }

    /** The token with the session's whereabouts, no stored roles. */
    public static AclSubject of(Principal principal, boolean inRoom, boolean inChannel) {
        return new AclSubject(principal, Set.of(), inRoom, inChannel);
    }

    /** The same subject with these roles held in context added. */
    public AclSubject withContextRoles(Set<String> roles) {
        return new AclSubject(principal, roles, inRoom, inChannel);
    }

    boolean hasAnyRole(Set<String> roles) {
        for (String role : roles) {
            if (principal.roles().contains(role) || contextRoles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    Map<String, String> attributes() {
        return principal.attributes();
    }

    /** Operators pass every rule (only the token makes an operator). */
    public boolean isOperator() {
        return principal.isOperator();
    }
}
