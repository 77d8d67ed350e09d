package io.dino.gateway.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a session belongs to, as its verified token says.
 *
 * @param user       the user id (the token's {@code sub})
 * @param roles      roles the token grants, e.g. {@code moderator}
 * @param attributes attributes ACLs use (age, gender, country...); list values are comma-joined
 * @param expiresAt  when the token expires
 * @param tokenId    the token's id (its {@code jti}), empty when it has none: revocation by id needs one
 * @param issuedAt   when the token was issued (its {@code iat}, whole seconds), if it says: revocation by user
 *                   revokes the tokens issued before it, and a token that does not say is revoked by every one
 */
public record Principal(String user, Set<String> roles, Map<String, String> attributes, Instant expiresAt,
                        String tokenId, Optional<Instant> issuedAt) {

    /** The global role of a super user, from the token's {@code roles} claim. */
    public static final String SUPER_USER = "superuser";
    /** The global role of a global moderator, from the token's {@code roles} claim. */
    public static final String GLOBAL_MODERATOR = "globalmod";

    public Principal {
        roles = Set.copyOf(roles);
        attributes = Map.copyOf(attributes);
        java.util.Objects.requireNonNull(tokenId, "tokenId");
        java.util.Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** A principal of a token without {@code jti} and {@code iat}. */
    public Principal(String user, Set<String> roles, Map<String, String> attributes, Instant expiresAt) {
        this(user, roles, attributes, expiresAt, "", Optional.empty());
    }

    /** Operators (super users and global moderators) pass access rules and room limits. */
    public boolean isOperator() {
        return roles.contains(SUPER_USER) || roles.contains(GLOBAL_MODERATOR);
    }
}
