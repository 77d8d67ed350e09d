package io.dino.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
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
    void aSubThatIsNotAStringIsRefused() throws Exception {
        TokenVerifier verifier = new TokenVerifier(settings(Optional.empty(), Optional.empty()));
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        assertThat(verifier.verify(signPayload("{\"sub\":\"42\",\"exp\":" + exp + "}")).user()).isEqualTo("42");
        assertInvalid(verifier, signPayload("{\"sub\":42,\"exp\":" + exp + "}"), "the token's sub must be a string");
        assertInvalid(verifier, signPayload("{\"sub\":[\"a\"],\"exp\":" + exp + "}"), "the token's sub must be a string");
    }

    @Test
    void anExpBeyondAnyRealTimeIsInvalidNotExpired() throws Exception {
        TokenVerifier verifier = new TokenVerifier(settings(Optional.empty(), Optional.empty()));
        String message = "the token's exp must be a time in seconds between 0 and 253402300799 (year 9999)";
        assertInvalid(verifier, signPayload("{\"sub\":\"ann\",\"exp\":1e20}"), message);
        // 1e17 s overflows a millisecond count into a date in the future: accepted before, with a random expiry
        assertInvalid(verifier, signPayload("{\"sub\":\"ann\",\"exp\":100000000000000000}"), message);
        assertInvalid(verifier, signPayload("{\"sub\":\"ann\",\"exp\":-5}"), message);
        assertThat(verifier.verify(signPayload("{\"sub\":\"ann\",\"exp\":253402300799}")).expiresAt())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void refusalsSayWhatIsWrongInOurWords() throws Exception {
        TokenVerifier verifier = new TokenVerifier(settings(Optional.of("https://auth.example.com"), Optional.of("dino")));
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        assertInvalid(verifier, "a.b.c", "the token is malformed (not a JWT)");
        assertInvalid(verifier, signPayload("{\"sub\":\"ann\",\"exp\":" + exp + "}"), "the token's iss is not the configured issuer");
        assertInvalid(verifier, signPayload("{\"sub\":\"ann\",\"exp\":" + exp + ",\"iss\":\"https://auth.example.com\"}"),
                "the token's aud does not name the configured audience");
        assertInvalid(verifier, signPayload("not json"), "the token's claims are malformed");
        assertInvalid(verifier, signPayload("{\"sub\":\"system\",\"exp\":" + exp
                        + ",\"iss\":\"https://auth.example.com\",\"aud\":\"dino\"}"),
                "the token's sub is not a valid user id: user id 'system' is reserved for messages from the backend");
        assertInvalid(verifier, signPayload("{\"sub\":\"x\\ud800\",\"exp\":" + exp
                        + ",\"iss\":\"https://auth.example.com\",\"aud\":\"dino\"}"),
                "the token's sub is not a valid user id: user id must be valid Unicode (it has a lone surrogate)");
    }

    private static String signPayload(String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
        jws.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jws.serialize();
    }

    private static void assertInvalid(TokenVerifier verifier, String token, String message) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(TokenRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.INVALID);
            assertThat(e.getMessage()).isEqualTo(message);
        });
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
