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
 */
public record AuthSettings(List<String> hmacSecrets, List<PublicKeySetting> publicKeys, Optional<String> issuer,
                           Optional<String> audience, Duration clockSkew, Duration tokenTtl) {

    public AuthSettings {
        hmacSecrets = List.copyOf(hmacSecrets);
        publicKeys = List.copyOf(publicKeys);
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
