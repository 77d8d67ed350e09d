package io.dino.gateway.config;

import io.dino.gateway.limits.Rate;
import io.dino.gateway.limits.RateSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dino.limits.rate: defaults, 0 as no limit, and refused values. */
class RateLimitConfigTest {

    private static RateSettings rates(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("dino.node-id", "n");
        return ConfigLoader.gateway(Config.just(ConfigSources.create(all))).rates();
    }

    @Test
    void theDefaultsGuardSessionsAndUsersAndLeaveApiKeysUnlimited() {
        RateSettings defaults = rates(Map.of());
        assertThat(defaults).isEqualTo(new RateSettings(new Rate(1_000, 2_000), new Rate(250, 500), new Rate(500, 1_000),
                new Rate(500, 1_000), new Rate(1_000, 2_000), new Rate(0, 1_000), 500));
        assertThat(defaults.apiKeyCalls().unlimited()).isTrue();
    }

    @Test
    void zeroPerSecondTurnsALimitOffAndTheBurstFollowsTheSetting() {
        RateSettings settings = rates(Map.of("dino.limits.rate.sends.per-second", "0",
                "dino.limits.rate.joins.per-second", "3", "dino.limits.rate.joins.burst", "7",
                "dino.limits.rate.flood-close", "0"));
        assertThat(settings.sends().unlimited()).isTrue();
        assertThat(settings.joins()).isEqualTo(new Rate(3, 7));
        assertThat(settings.floodClose()).isZero();
    }

    @Test
    void negativeRatesAndEmptyBurstsStopTheNodeNamingTheKey() {
        assertThatThrownBy(() -> rates(Map.of("dino.limits.rate.sends.per-second", "-1")))
                .hasMessageContaining("dino.limits.rate.sends.per-second");
        assertThatThrownBy(() -> rates(Map.of("dino.limits.rate.user-sends.burst", "0")))
                .hasMessageContaining("dino.limits.rate.user-sends.burst");
        assertThatThrownBy(() -> rates(Map.of("dino.limits.rate.flood-close", "many")))
                .hasMessageContaining("dino.limits.rate.flood-close");
    }
}
