package io.dino.gateway.config;

import io.dino.gateway.auth.AuthSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dino.auth.expiry-warning and dino.auth.max-token-lifetime: defaults, and a lifetime shorter than the minted ttl refused. */
class TokenLifetimeConfigTest {

    private static AuthSettings auth(Map<String, String> values) {
        return ConfigLoader.gateway(Config.just(ConfigSources.create(values))).auth();
    }

    @Test
    void defaultsWarnAMinuteAheadAndKeepRevocationsADayOrTheMintedTtlIfLonger() {
        AuthSettings defaults = auth(Map.of());
        assertThat(defaults.expiryWarning()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxTokenLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(auth(Map.of("dino.auth.token-ttl", "PT48H")).maxTokenLifetime()).isEqualTo(Duration.ofHours(48));
        AuthSettings set = auth(Map.of("dino.auth.expiry-warning", "PT5S", "dino.auth.max-token-lifetime", "PT2H"));
        assertThat(set.expiryWarning()).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.maxTokenLifetime()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aMaximumLifetimeShorterThanTheMintedTtlIsRefused() {
        assertThatThrownBy(() -> auth(Map.of("dino.auth.token-ttl", "PT2H", "dino.auth.max-token-lifetime", "PT1H")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dino.auth.max-token-lifetime must be at least dino.auth.token-ttl");
        assertThatThrownBy(() -> auth(Map.of("dino.auth.expiry-warning", "-PT1S")))
                .hasMessageContaining("dino.auth.expiry-warning");
    }
}
