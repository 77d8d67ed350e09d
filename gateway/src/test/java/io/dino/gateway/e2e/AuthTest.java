package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may open a session: signed, unexpired tokens with known keys, and nothing else. */
class AuthTest {

    private static KeyPair rsa;
    private static KeyPair ec;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        node = TestNode.start(Map.of(
                "dino.auth.public-keys.0.kid", "rsa-1",
                "dino.auth.public-keys.0.pem", pem(rsa),
                "dino.auth.public-keys.1.pem", pem(ec),
                "dino.limits.auth-timeout", "PT2S"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void hs256TokenFromTheConfiguredSecretOpensASessionWithItsClaims() throws Exception {
        String token = sign(new MACSigner(TestNode.SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null,
                claims("anna").claim("roles", List.of("moderator")).claim("attrs", Map.of("age", 30)).build());
        JsonNode result = connect(token).connectResult();
        assertThat(result.get("user").asText()).isEqualTo("anna");
        assertThat(result.get("protocol").asInt()).isEqualTo(1);
    }

    @Test
    void rs256AndEs256TokensFromConfiguredPublicKeysAreAccepted() throws Exception {
        String rsToken = sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, "rsa-1", claims("rita").build());
        String esToken = sign(new ECDSASigner(ec.getPrivate(), com.nimbusds.jose.jwk.Curve.P_256), JWSAlgorithm.ES256, null,
                claims("esther").build());
        assertThat(connect(rsToken).connectResult().get("user").asText()).isEqualTo("rita");
        assertThat(connect(esToken).connectResult().get("user").asText()).isEqualTo("esther");
    }

    @Test
    void forgedTokenIsRefusedAndTheSocketClosed() throws Exception {
        String forged = sign(new MACSigner("another-secret-another-secret-another-secret".getBytes(StandardCharsets.UTF_8)),
                JWSAlgorithm.HS256, null, claims("forger").build());
        assertRefused(forged, 4011, "INVALID_TOKEN", "the token's signature does not verify");
    }

    @Test
    void expiredTokenIsRefusedWithItsOwnCode() throws Exception {
        String expired = sign(new MACSigner(TestNode.SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null,
                new JWTClaimsSet.Builder().subject("late").expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        assertRefused(expired, 4012, "TOKEN_EXPIRED");
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = base64.encodeToString(claims("nobody").build().toString().getBytes(StandardCharsets.UTF_8));
        assertRefused(header + "." + payload + ".", 4011, "INVALID_TOKEN", "the token must be signed (unsigned and encrypted tokens are refused)");
    }

    @Test
    void tokenSignedByAnUnknownKeyIdIsRefused() throws Exception {
        String unknownKid = sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, "rsa-unknown", claims("kim").build());
        assertRefused(unknownKid, 4011, "INVALID_TOKEN", "unknown key id");
    }

    @Test
    void tokenWithoutKidIsNotCheckedAgainstAKeyConfiguredWithOne() throws Exception {
        String withoutKid = sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, null, claims("kai").build());
        assertRefused(withoutKid, 4011, "INVALID_TOKEN", "no key without a kid is configured for the token's algorithm");
    }

    @Test
    void tokenWithoutExpiryOrSubjectIsRefused() throws Exception {
        MACSigner signer = new MACSigner(TestNode.SECRET.getBytes(StandardCharsets.UTF_8));
        assertRefused(sign(signer, JWSAlgorithm.HS256, null, new JWTClaimsSet.Builder().subject("forever").build()),
                4011, "INVALID_TOKEN", "the token has no exp claim");
        assertRefused(sign(signer, JWSAlgorithm.HS256, null,
                new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(60))).build()), 4011, "INVALID_TOKEN",
                "the token has no sub claim");
    }

    @Test
    void theUserIdSystemIsReservedForBackendMessages() throws Exception {
        String system = sign(new MACSigner(TestNode.SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null,
                claims("system").build());
        assertRefused(system, 4011, "INVALID_TOKEN",
                "the token's sub is not a valid user id: user id 'system' is reserved for messages from the backend");
    }

    @Test
    void garbageTokenIsRefused() throws Exception {
        assertRefused("not-a-jwt", 4011, "INVALID_TOKEN", "the token is malformed (not a JWT)");
    }

    @Test
    void commandsBeforeConnectAreRefusedAndTheSocketStaysOpen() throws Exception {
        DinoClient client = node.rawClient(new EventRecorder());
        client.sendRaw("{\"id\":1,\"cmd\":\"join\",\"room\":\"lobby\"}").join();
        JsonNode reply = client.awaitUnmatchedReply(TIMEOUT);
        assertThat(reply.at("/error/name").asText()).isEqualTo("NOT_AUTHENTICATED");
        assertThat(reply.at("/error/code").asInt()).isEqualTo(4010);
        assertThat(client.authenticate(node.token("patient")).join().get("user").asText()).isEqualTo("patient");
    }

    @Test
    void aSocketThatNeverAuthenticatesIsClosedAfterTheAuthTimeout() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient idle = node.rawClient(events);
        CloseStatus status = idle.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.code()).isEqualTo(4010);
        assertThat(events.events("disconnect")).singleElement()
                .satisfies(event -> assertThat(event.get("name").asText()).isEqualTo("NOT_AUTHENTICATED"));
    }

    private static void assertRefused(String token, int code, String name) throws Exception {
        assertRefused(token, code, name, null);
    }

    /** Refused with this code and name, and (unless null) this message: ours, not the JWT library's. */
    private static void assertRefused(String token, int code, String name, String message) throws Exception {
        DinoClient client = node.rawClient(new EventRecorder());
        client.sendRaw("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + token + "\"}").join();
        JsonNode reply = client.awaitUnmatchedReply(TIMEOUT);
        if (message != null) {
            assertThat(reply.at("/error/message").asText()).isEqualTo(message);
        }
        assertThat(reply.at("/error/code").asInt()).isEqualTo(code);
        assertThat(reply.at("/error/name").asText()).isEqualTo(name);
        CloseStatus status = client.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.code()).isEqualTo(code);
    }

    private static DinoClient connect(String token) throws Exception {
        DinoClient client = DinoClient.connect(node.wsUri(), token).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        client.close();
        return client;
    }

    private static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String keyId, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
