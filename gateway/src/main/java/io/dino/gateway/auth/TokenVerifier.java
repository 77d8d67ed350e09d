package io.dino.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.Names;

import java.security.Key;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies client tokens: JWTs signed HS256 with a configured secret, or RS256 / ES256 with a
 * configured public key. Unsigned tokens ({@code alg: none}), other algorithms, unknown key ids,
 * missing {@code sub} or {@code exp}, a {@code sub} that is not a string or not a valid user id
 * ({@link Names#user}: so never {@code system}), an {@code exp} that is no time, and expired tokens are
 * refused, with messages of ours.
 *
 * <p>The header's {@code kid} picks the keys: a token that names one is checked only against the key
 * configured with that kid, a token that names none only against the keys of its algorithm configured
 * without one. A kid in the configuration binds the key to the tokens that ask for it, so that an
 * operator can scope a key (to one issuer, or to one step of a rotation) knowing that no other token is
 * checked against it.
 *
 * <p>Claims read: {@code sub} (user id), {@code exp}, optional {@code roles} (array of strings),
 * {@code attrs} (object; arrays become comma-joined strings), {@code jti} (the token's id, for revocation: a
 * string of at most {@value #MAX_TOKEN_ID} printable ASCII characters) and {@code iat} (when it was issued, for
 * revocation by user).
 */
public final class TokenVerifier {

    static final String ROLES_CLAIM = "roles";
    static final String ATTRIBUTES_CLAIM = "attrs";
    /** Longest token id ({@code jti}) accepted: it is part of a stored key when the token is revoked. */
    static final int MAX_TOKEN_ID = 128;
    /** 9999-12-31T23:59:59Z: later times do not fit a millisecond count that every client can handle. */
    private static final long MAX_EXP_SECONDS = 253_402_300_799L;

    /** A configured key, the algorithm it verifies, and its kid (null when configured without one). */
    private record VerificationKey(JWSAlgorithm algorithm, String keyId, Key key) {
    }

    private final List<VerificationKey> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Optional<String> issuer;
    private final Optional<String> audience;

    public TokenVerifier(AuthSettings settings) {
        keys = Keys.fromSettings(settings).stream().map(TokenVerifier::verificationKey).toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no token keys configured: set dino.auth.hmac-secrets or dino.auth.public-keys");
        }
        issuer = settings.issuer();
        audience = settings.audience();
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
        SignedJWT jwt = signedJwt(token);
        if (keysFor(jwt.getHeader()).isEmpty()) {
            throw invalid(noKey(jwt.getHeader()));
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            // nimbus turns an exp beyond any real time into a negative date: that token is invalid, not expired
            checkRawClaims(jwt);
            throw new TokenRejectedException(TokenRejectedException.Reason.EXPIRED, "the token has expired");
        } catch (BadJWSException e) {
            throw invalid("the token's signature does not verify");
        } catch (BadJWTException e) {
            throw invalid(claimsProblem(jwt));
        } catch (BadJOSEException | JOSEException e) {
            throw invalid("the token could not be verified");
        }
        checkRawClaims(jwt);
        String user = claims.getSubject();
        try {
            Names.user(user);
        } catch (DinoException e) {
            throw invalid("the token's sub is not a valid user id: " + e.getMessage());
        }
        String tokenId = tokenId(jwt);
        try {
            return new Principal(user, roles(claims), attributes(claims), claims.getExpirationTime().toInstant(), tokenId,
                    Optional.ofNullable(claims.getIssueTime()).map(java.util.Date::toInstant));
        } catch (ParseException | ClassCastException e) {
            throw invalid("the token's roles or attrs claim has the wrong type");
        }
    }

    /** Our messages for what nimbus refuses: its own texts name its classes and are no help to a client. */
    private static SignedJWT signedJwt(String token) throws TokenRejectedException {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw invalid("the token is malformed (not a JWT)");
        }
        if (parsed instanceof SignedJWT signed) {
            return signed;
        }
        throw invalid("the token must be signed (unsigned and encrypted tokens are refused)");
    }

    private String noKey(JWSHeader header) {
        if (keys.stream().noneMatch(key -> key.algorithm().equals(header.getAlgorithm()))) {
            return "the token's algorithm " + header.getAlgorithm() + " is not accepted";
        }
        return header.getKeyID() == null ? "no key without a kid is configured for the token's algorithm" : "unknown key id";
    }

    /** Which claim check failed; the processor checks the same ones (required sub and exp, iss, aud, nbf). */
    private String claimsProblem(SignedJWT jwt) {
        Map<String, Object> raw = jwt.getPayload().toJSONObject();
        if (raw != null && raw.get("sub") != null && !(raw.get("sub") instanceof String)) {
            return "the token's sub must be a string";  // nimbus reads an array or object sub as no claims at all
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "the token's claims are malformed";
        }
        if (claims.getSubject() == null) {
            return "the token has no sub claim";
        }
        if (claims.getExpirationTime() == null) {
            return "the token has no exp claim";
        }
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            return "the token's iss is not the configured issuer";
        }
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            return "the token's aud does not name the configured audience";
        }
        return "the token is not valid yet (nbf)";
    }

    /**
     * Checks what nimbus converts without a word: a sub that is a number (RFC 7519 makes it a string) and an
     * exp that is no time (it would overflow to an expiry in the past or at a random date).
     */
    private static void checkRawClaims(SignedJWT jwt) throws TokenRejectedException {
        Map<String, Object> raw = jwt.getPayload().toJSONObject();
        if (!(raw.get("sub") instanceof String)) {
            throw invalid("the token's sub must be a string");
        }
        if (!(raw.get("exp") instanceof Number exp) || exp.doubleValue() < 0 || exp.doubleValue() > MAX_EXP_SECONDS) {
            throw invalid("the token's exp must be a time in seconds between 0 and " + MAX_EXP_SECONDS + " (year 9999)");
        }
    }

    /** The token's {@code jti}, "" when it has none; one that cannot be a stored key's part is refused. */
    private static String tokenId(SignedJWT jwt) throws TokenRejectedException {
        Object raw = jwt.getPayload().toJSONObject().get("jti");
        if (raw == null) {
            return "";
        }
        if (!(raw instanceof String id) || id.isEmpty() || id.length() > MAX_TOKEN_ID
                || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw invalid("the token's jti must be a string of 1 to " + MAX_TOKEN_ID + " printable ASCII characters");
        }
        return id;
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
