package io.dino.gateway.edge.grpc;

import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.limits.ApiKeyLimits;
import io.dino.gateway.limits.Rate;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

import java.util.Map;

/**
 * The per-API-key rate limit ({@code dino.limits.rate.api-key-calls}), inside {@link ApiKeyInterceptor}: every
 * call with a key takes a token of that key's bucket on this node; a call that finds none is closed at once with
 * RESOURCE_EXHAUSTED and the trailers {@code dino-error: RATE_LIMITED} and {@code dino-retry-after-ms}. Calls
 * without a key (health, reflection) are not limited. A server stream counts once, when it starts.
 */
public final class ApiKeyRateInterceptor implements ServerInterceptor {

    private static final ServerCall.Listener<Object> NOTHING = new ServerCall.Listener<>() {
    };

    private final ApiKeyLimits limits;

    public ApiKeyRateInterceptor(ApiKeyLimits limits) {
        this.limits = limits;
    }

    @Override
    @SuppressWarnings("unchecked")  // the listener ignores every message, whatever its type
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (limits.unlimited()) {
            return next.startCall(call, headers);
        }
        long wait = limits.admit(headers.get(ApiKeyInterceptor.API_KEY));
        if (wait == 0) {
            return next.startCall(call, headers);
        }
        long retryAfterMs = Math.max(1, Rate.millisRoundedUp(wait));
        StatusRuntimeException refused = GrpcErrors.toStatus(new DinoException(ErrorCode.RATE_LIMITED,
                "too many calls with this API key; retry after " + retryAfterMs + " ms", Map.of("retryAfterMs", retryAfterMs)));
        call.close(refused.getStatus(), refused.getTrailers());
        return (ServerCall.Listener<Q>) NOTHING;
    }
}
