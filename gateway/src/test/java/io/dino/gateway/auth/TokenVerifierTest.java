package io.dino.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-unit-test-secret-0123456";

    @Test
    void issuerAndAudienceAreRequiredWhenConfiguredAndMintedTokensCarryThem() throws Exception {
        AuthSettings strict = settings(Optional.of("https://auth.example.com"), Optional.of("dino"));
        AuthSettings lax = settings(Optional.empty(), Optional.empty());
        TokenVerifier verifier = new TokenVerifier(strict);

        Principal principal = verifier.verify(new TokenMinter(strict, InstantSource.system())
                .mint("ann", Set.of("moderator"), Map.of("country", "de"), Duration.ZERO).token());
        assertThat(principal.user()).isEqualTo("ann");
        assertThat(principal.roles()).containsExactly("moderator");
        assertThat(principal.attributes()).containsEntry("country", "de");

        String withoutIssuerOrAudience = new TokenMinter(lax, InstantSource.system())
                .mint("ann", Set.of(), Map.of(), Duration.ZERO).token();
        assertThatThrownBy(() -> verifier.verify(withoutIssuerOrAudience)).isInstanceOfSatisfying(TokenRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.INVALID));
    }

    @Test
    void aKidPicksTheKeyAndATokenWithoutKidIsCheckedOnlyAgainstKeysConfiguredWithoutOne() throws Exception {
        KeyPair bound = rsaKeyPair();
        KeyPair unbound = rsaKeyPair();
        List<AuthSettings.PublicKeySetting> publicKeys = List.of(
                new AuthSettings.PublicKeySetting("rsa-1", pem(bound)), new AuthSettings.PublicKeySetting("", pem(unbound)));
        TokenVerifier verifier = new TokenVerifier(new AuthSettings(List.of(SECRET), publicKeys,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofHours(1)));
        RSASSASigner boundSigner = new RSASSASigner(bound.getPrivate());
        RSASSASigner unboundSigner = new RSASSASigner(unbound.getPrivate());
        MACSigner secretSigner = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(verifier.verify(sign(boundSigner, JWSAlgorithm.RS256, "rsa-1")).user()).isEqualTo("kim");
        assertThat(verifier.verify(sign(unboundSigner, JWSAlgorithm.RS256, null)).user()).isEqualTo("kim");
        assertThat(verifier.verify(sign(secretSigner, JWSAlgorithm.HS256, null)).user()).isEqualTo("kim");

        assertRefused(verifier, sign(boundSigner, JWSAlgorithm.RS256, null)); // the key is bound to kid rsa-1
        assertRefused(verifier, sign(unboundSigner, JWSAlgorithm.RS256, "rsa-1")); // rsa-1 names the other key
        assertRefused(verifier, sign(unboundSigner, JWSAlgorithm.RS256, "rsa-2")); // no such key
        assertRefused(verifier, sign(secretSigner, JWSAlgorithm.HS256, "hmac-1")); // secrets are configured without kid
    }

    @Test
    void shortSecretsAndMissingKeysAreConfigurationErrors() {
        assertThatThrownBy(() -> new TokenVerifier(new AuthSettings(List.of("short"), List.of(), Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ofHours(1)))).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new TokenVerifier(new AuthSettings(List.of(), List.of(), Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ofHours(1)))).hasMessageContaining("no token keys configured");
    }

    private static void assertRefused(TokenVerifier verifier, String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(TokenRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.INVALID));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String keyId) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("kim")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static AuthSettings settings(Optional<String> issuer, Optional<String> audience) {
        return new AuthSettings(List.of(SECRET), List.of(), issuer, audience, Duration.ofSeconds(5), Duration.ofHours(1));
    }
}
