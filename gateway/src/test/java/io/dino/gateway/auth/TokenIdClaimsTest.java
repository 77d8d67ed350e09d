package io.dino.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The claims revocation reads: {@code jti} and {@code iat}, as minted and as verified. */
class TokenIdClaimsTest {

    private static final String SECRET = "unit-test-secret-unit-test-secret-0123456";
    private static final AuthSettings SETTINGS = new AuthSettings(List.of(SECRET), List.of(), Optional.empty(),
            Optional.empty(), Duration.ZERO, Duration.ofHours(1));

    @Test
    void mintedTokensCarryADistinctIdAndTheirIssueTime() throws Exception {
        Instant now = Instant.parse("2026-11-30T08:00:00.750Z");
        TokenMinter minter = new TokenMinter(SETTINGS, InstantSource.fixed(now));
        TokenMinter.MintedToken first = minter.mint("ann", Set.of(), Map.of(), Duration.ofDays(365_000));
        TokenMinter.MintedToken second = minter.mint("ann", Set.of(), Map.of(), Duration.ofDays(365_000));
        assertThat(first.tokenId()).isNotEmpty().isNotEqualTo(second.tokenId());

        Principal principal = new TokenVerifier(SETTINGS).verify(first.token());
        assertThat(principal.tokenId()).isEqualTo(first.tokenId());
        assertThat(principal.issuedAt()).contains(Instant.parse("2026-11-30T08:00:00Z"));
    }

    @Test
    void aTokenWithoutIdOrIssueTimeHasNoneAndAnUnusableIdIsRefused() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SETTINGS);
        Principal bare = verifier.verify(sign(new JWTClaimsSet.Builder().subject("bob")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build()));
        assertThat(bare.tokenId()).isEmpty();
        assertThat(bare.issuedAt()).isEmpty();

        for (Object badId : List.of("x".repeat(129), "with space", "", 42)) {
            String token = sign(new JWTClaimsSet.Builder().subject("bob").jwtID(null).claim("jti", badId)
                    .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(TokenRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.INVALID);
                assertThat(e.getMessage()).isIn("the token's jti must be a string of 1 to 128 printable ASCII characters",
                        "the token's claims are malformed");
            });
        }
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
