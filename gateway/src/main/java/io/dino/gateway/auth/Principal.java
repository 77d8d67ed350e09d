package io.dino.gateway.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Who a session belongs to, as its verified token says.
 *
 * @param user       the user id (the token's {@code sub})
 * @param roles      roles the token grants, e.g. {@code moderator}
 * @param attributes attributes ACLs use (age, gender, country...); list values are comma-joined
 * @param expiresAt  when the token expires
 */
public record Principal(String user, Set<String> roles, Map<String, String> attributes, Instant expiresAt) {

    /** The global role of a super user, from the token's {@code roles} claim. */
    public static final String SUPER_USER = "superuser";
    /** The global role of a global moderator, from the token's {@code roles} claim. */
    public static final String GLOBAL_MODERATOR = "globalmod";

    public Principal {
        roles = Set.copyOf(roles);
        attributes = Map.copyOf(attributes);
    }

    /** Operators (super users and global moderators) pass access rules and room limits. */
    public boolean isOperator() {
        return roles.contains(SUPER_USER) || roles.contains(GLOBAL_MODERATOR);
    }
}
