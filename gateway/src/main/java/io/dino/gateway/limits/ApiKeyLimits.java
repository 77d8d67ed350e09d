package io.dino.gateway.limits;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One shared bucket per configured backend API key, made at start (the keys are fixed), so a key nobody
 * configured finds no bucket and the map never grows. Per node, like the per-user limits: a backend spreading
 * its calls over N nodes may make N times {@code api-key-calls}.
 */
public final class ApiKeyLimits {

    private final Map<String, SharedTokenBucket> buckets;
    private final NanoClock clock;
    private final Limited.Listener listener;

    public ApiKeyLimits(List<String> keys, Rate rate, NanoClock clock, Limited.Listener listener) {
        this.buckets = rate.unlimited() ? Map.of()
                : keys.stream().distinct().collect(Collectors.toUnmodifiableMap(Function.identity(), key -> new SharedTokenBucket(rate)));
        this.clock = clock;
        this.listener = listener;
    }

    public boolean unlimited() {
        return buckets.isEmpty();
    }

    /** A call with {@code key}: 0 when it may run, else the nanoseconds until it would be admitted. */
    public long admit(String key) {
        SharedTokenBucket bucket = key == null ? null : buckets.get(key);
        if (bucket == null) {
            return 0;  // no limit, or a key the API key check refuses anyway
        }
        long wait = bucket.tryTake(clock.nanos());
        if (wait != 0) {
            listener.refused(Limited.API_KEY_CALLS);
        }
        return wait;
    }
}
