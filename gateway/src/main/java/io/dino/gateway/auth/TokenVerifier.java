package io.dino.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import java.security.Key;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies client tokens: JWTs signed HS256 with a configured secret, or RS256 / ES256 with a
 * configured public key. Unsigned tokens ({@code alg: none}), other algorithms, unknown key ids,
 * missing {@code sub} or {@code exp}, and expired tokens are refused.
 *
 * <p>The header's {@code kid} picks the keys: a token that names one is checked only against the key
 * configured with that kid, a token that names none only against the keys of its algorithm configured
 * without one. A kid in the configuration binds the key to the tokens that ask for it, so that an
 * operator can scope a key (to one issuer, or to one step of a rotation) knowing that no other token is
 * checked against it.
 *
 * <p>Claims read: {@code sub} (user id), {@code exp}, optional {@code roles} (array of strings) and
 * {@code attrs} (object; arrays become comma-joined strings).
 */
public final class TokenVerifier {

    static final String ROLES_CLAIM = "roles";
    static final String ATTRIBUTES_CLAIM = "attrs";
    private static final int MAX_USER_ID_LENGTH = 128;

    /** A configured key, the algorithm it verifies, and its kid (null when configured without one). */
    private record VerificationKey(JWSAlgorithm algorithm, String keyId, Key key) {
    }

    private final List<VerificationKey> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public TokenVerifier(AuthSettings settings) {
        keys = Keys.fromSettings(settings).stream().map(TokenVerifier::verificationKey).toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no token keys configured: set dino.auth.hmac-secrets or dino.auth.public-keys");
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector((header, context) -> keysFor(header));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience().<Set<String>>map(aud -> new HashSet<>(Set.of(aud))).orElse(null), exact.build(), Set.of("sub", "exp"), null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    public Principal verify(String token) throws TokenRejectedException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw new TokenRejectedException(TokenRejectedException.Reason.EXPIRED, "the token has expired");
        } catch (ParseException e) {
            throw invalid("the token is not a JWT");
        } catch (BadJOSEException e) {
            throw invalid("the token was refused: " + e.getMessage());
        } catch (Exception e) {
            throw invalid("the token could not be verified");
        }
        String user = claims.getSubject();
        if (user.isEmpty() || user.length() > MAX_USER_ID_LENGTH || user.chars().anyMatch(Character::isISOControl)) {
            throw invalid("the token's sub is not a valid user id (1-128 characters, no control characters)");
        }
        try {
            return new Principal(user, roles(claims), attributes(claims), claims.getExpirationTime().toInstant());
        } catch (ParseException | ClassCastException e) {
            throw invalid("the token's roles or attrs claim has the wrong type");
        }
    }

    /** The keys a token with this header may be verified with: its algorithm's whose kid is the token's (or none). */
    private List<Key> keysFor(JWSHeader header) {
        return keys.stream()
                .filter(key -> key.algorithm().equals(header.getAlgorithm()))
                .filter(key -> Objects.equals(key.keyId(), header.getKeyID()))
                .map(VerificationKey::key)
                .toList();
    }

    private static VerificationKey verificationKey(JWK key) {
        try {
            return switch (key) {
                case OctetSequenceKey secret ->
                        new VerificationKey(JWSAlgorithm.HS256, secret.getKeyID(), secret.toSecretKey());
                case RSAKey rsa -> new VerificationKey(JWSAlgorithm.RS256, rsa.getKeyID(), rsa.toRSAPublicKey());
                case ECKey ec -> new VerificationKey(JWSAlgorithm.ES256, ec.getKeyID(), ec.toECPublicKey());
                default -> throw new IllegalArgumentException("unsupported key " + key.getKeyType());
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key: " + e.getMessage(), e);
        }
    }

    private static Set<String> roles(JWTClaimsSet claims) throws ParseException {
        List<String> roles = claims.getStringListClaim(ROLES_CLAIM);
        return roles == null ? Set.of() : new LinkedHashSet<>(roles);
    }

    private static Map<String, String> attributes(JWTClaimsSet claims) throws ParseException {
        Map<String, Object> raw = claims.getJSONObjectClaim(ATTRIBUTES_CLAIM);
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> attributes = new HashMap<>();
        raw.forEach((name, value) -> {
            if (value instanceof List<?> list) {
                attributes.put(name, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (value != null) {
                attributes.put(name, String.valueOf(value));
            }
        });
        return attributes;
    }

    private static TokenRejectedException invalid(String message) {
        return new TokenRejectedException(TokenRejectedException.Reason.INVALID, message);
    }
}
