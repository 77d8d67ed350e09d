package io.dino.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signs client tokens (HS256, with the first configured HMAC secret) for the backend API's MintToken
 * and the {@code dino token} command. Each carries {@code iat} and a random {@code jti}, so it can be revoked
 * by user and by id.
 */
public final class TokenMinter {

    /** A signed token, when it expires, and its id (its {@code jti}, which revocation by id names). */
    public record MintedToken(String token, Instant expiresAt, String tokenId) {
    }

    private final Optional<MACSigner> signer;
    private final AuthSettings settings;
    private final InstantSource clock;

    public TokenMinter(AuthSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            this.signer = settings.hmacSecrets().isEmpty()
                    ? Optional.empty()
                    : Optional.of(new MACSigner(Keys.hmacKey(settings.hmacSecrets().getFirst())));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the first HMAC secret cannot sign HS256", e);
        }
    }

    /** Whether this node can mint tokens (it needs an HMAC secret). */
    public boolean canMint() {
        return signer.isPresent();
    }

    /**
     * @param ttl lifetime; {@link Duration#ZERO} means the configured default
     * @throws IllegalStateException when no HMAC secret is configured
     */
    public MintedToken mint(String user, Set<String> roles, Map<String, String> attributes, Duration ttl) {
        MACSigner macSigner = signer.orElseThrow(() -> new IllegalStateException(
                "minting tokens needs an HMAC secret (dino.auth.hmac-secrets)"));
        Instant now = clock.instant();
        String tokenId = java.util.UUID.randomUUID().toString();
        Instant expiresAt = now.plus(ttl.isZero() ? settings.tokenTtl() : ttl);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .jwtID(tokenId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
        settings.issuer().ifPresent(claims::issuer);
        settings.audience().ifPresent(claims::audience);
        if (!roles.isEmpty()) {
            claims.claim(TokenVerifier.ROLES_CLAIM, List.copyOf(roles));
        }
        if (!attributes.isEmpty()) {
            claims.claim(TokenVerifier.ATTRIBUTES_CLAIM, Map.copyOf(attributes));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(macSigner);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new MintedToken(jwt.serialize(), expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                tokenId);
    }
}
