package io.dino.gateway.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a ban or mute lasts, as clients and backends write it: {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} or {@code permanent}. */
final class SanctionDurations {

    static final String ACCEPTED = "a positive whole number followed by s, m, h or d (30s, 10m, 2h, 7d), or permanent";
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,9})([smhd])");

    private SanctionDurations() {
    }

    /** The duration in ms; 0 for permanent (also when {@code text} is null or blank). INVALID_VALUE otherwise. */
    static long millis(String text) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty() || value.equals("permanent")) {
            return 0;
        }
        Matcher form = FORM.matcher(value);
        if (!form.matches()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "duration must be " + ACCEPTED + " (got '" + text + "')");
        }
        long amount = Long.parseLong(form.group(1));
        long unit = switch (form.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return amount * unit;  // at most 10^10 days in ms: no overflow
    }

    /** When a sanction set at {@code nowMs} for {@code durationMs} ends; 0 (never) for a permanent one. */
    static long until(long nowMs, long durationMs) {
        return durationMs == 0 ? 0 : nowMs + durationMs;
    }
}
