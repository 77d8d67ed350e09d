package io.dino.gateway.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
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
    void shortSecretsAndMissingKeysAreConfigurationErrors() {
        assertThatThrownBy(() -> new TokenVerifier(new AuthSettings(List.of("short"), List.of(), Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ofHours(1)))).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new TokenVerifier(new AuthSettings(List.of(), List.of(), Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ofHours(1)))).hasMessageContaining("no token keys configured");
    }

    private static AuthSettings settings(Optional<String> issuer, Optional<String> audience) {
        return new AuthSettings(List.of(SECRET), List.of(), issuer, audience, Duration.ofSeconds(5), Duration.ofHours(1));
    }
}
