package io.dino.gateway.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Revoked client tokens, cluster-wide: all of a user's tokens issued before a time, or one token by its id
 * ({@code jti}). The engine stores and answers; closing the live sessions is the core's (a control command).
 *
 * <p>Contract: a revocation is visible to every node's {@link #isRevoked} once it returns. Each revocation is
 * kept until its {@code until} (when the tokens it covers have expired) and then forgotten: neither answered nor
 * listed. Revocations of one user never affect another's. A second revocation by user keeps the later of the two
 * times (it covers every token the first one did) and the later {@code until}; a second one of the same token id
 * keeps the later {@code until}. Everything about one user lives in one place (Redis: the user's slot), so
 * {@link #isRevoked} is one round trip. Times are kept to the millisecond. Failures throw {@link EngineUnavailableException}.
 */
public interface Revocations {

    /**
     * One stored revocation.
     *
     * @param tokenId      the revoked token's id; empty for a revocation by user
     * @param issuedBefore a revocation by user: tokens issued before this time are revoked; {@link Instant#EPOCH} for one by id
     * @param until        when it is forgotten
     */
    record Revocation(String tokenId, Instant issuedBefore, Instant until) {
        public boolean byUser() {
            return tokenId.isEmpty();
        }
    }

    /** Revokes every token of the user issued before {@code issuedBefore} (and every one that does not say when), kept until {@code until}. */
    void revokeUser(String user, Instant issuedBefore, Instant until);

    /** Revokes the user's token with this id, kept until {@code until}. */
    void revokeToken(String user, String tokenId, Instant until);

    /**
     * Whether a token of the user is revoked: by its id ({@code tokenId}, empty when it has none), or by a
     * revocation by user later than its issue time (a token with no issue time is revoked by any). One round trip.
     * An {@code issuedAt} of whole seconds (a JWT's {@code iat}) is revoked with the tokens issued before a revocation
     * in the same second, after it too: the safe side.
     */
    boolean isRevoked(String user, String tokenId, Optional<Instant> issuedAt);

    /** The user's revocations in force: the one by user first (if any), then those by id, sorted by id. */
    List<Revocation> of(String user);

    /** Whether a stored revocation revokes a token with this id and issue time. */
    static boolean revokes(Revocation revocation, String tokenId, Optional<Instant> issuedAt) {
        if (revocation.byUser()) {
            return issuedAt.map(at -> at.isBefore(revocation.issuedBefore())).orElse(true);
        }
        return !tokenId.isEmpty() && revocation.tokenId().equals(tokenId);
    }
}
