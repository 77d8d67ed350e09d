package io.dino.gateway.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Token settings: the keys tokens may be signed with, and what claims must say.
 *
 * @param hmacSecrets HS256 secrets (at least 32 bytes each); the first one signs minted tokens
 * @param publicKeys  RS256 / ES256 public keys
 * @param issuer      if present, tokens must carry this {@code iss} (and minted tokens do)
 * @param audience    if present, tokens must carry this {@code aud} (and minted tokens do)
 * @param clockSkew   tolerance for {@code exp} and {@code nbf}
 * @param tokenTtl    lifetime of minted tokens when the caller does not choose one
 * @param expiryWarning how long before its token expires a session is told ({@code expiring} event)
 * @param maxTokenLifetime the longest lifetime of the tokens the cluster accepts, as far as the operator knows:
 *                    how long a revocation by user (and one by id that does not say until when) is kept
 */
public record AuthSettings(List<String> hmacSecrets, List<PublicKeySetting> publicKeys, Optional<String> issuer,
                           Optional<String> audience, Duration clockSkew, Duration tokenTtl, Duration expiryWarning,
                           Duration maxTokenLifetime) {

    /** Default {@code dino.auth.expiry-warning}. */
    public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofSeconds(60);
    /** Default {@code dino.auth.max-token-lifetime} (at least the token ttl). */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(1);

    public AuthSettings {
        hmacSecrets = List.copyOf(hmacSecrets);
        publicKeys = List.copyOf(publicKeys);
    }

    /** Settings with the default expiry warning and maximum token lifetime. */
    public AuthSettings(List<String> hmacSecrets, List<PublicKeySetting> publicKeys, Optional<String> issuer,
                        Optional<String> audience, Duration clockSkew, Duration tokenTtl) {
        this(hmacSecrets, publicKeys, issuer, audience, clockSkew, tokenTtl, DEFAULT_EXPIRY_WARNING,
                tokenTtl.compareTo(DEFAULT_MAX_TOKEN_LIFETIME) > 0 ? tokenTtl : DEFAULT_MAX_TOKEN_LIFETIME);
    }

    /**
     * A public key to verify RS256 or ES256 tokens with.
     *
     * @param keyId if not empty, only tokens whose header names this {@code kid} use the key
     * @param pem   the key as PEM ({@code -----BEGIN PUBLIC KEY-----})
     */
    public record PublicKeySetting(String keyId, String pem) {
    }
}
