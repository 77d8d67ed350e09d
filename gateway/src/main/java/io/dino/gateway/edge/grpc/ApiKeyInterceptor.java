package io.dino.gateway.edge.grpc;

import io.dino.gateway.auth.ApiKeys;
import io.dino.api.v1.BackendGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Lets a call to the backend API through only with a configured key in the {@code x-api-key} header.
 * The gRPC health and reflection services stay open: probes and grpcurl need no key.
 */
public final class ApiKeyInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiKeys keys;
    private final ScheduledExecutorService timers;

    /** {@code timers} bound how long a refused call waits for its request (see {@link Refusal}). */
    public ApiKeyInterceptor(ApiKeys keys, ScheduledExecutorService timers) {
        this.keys = keys;
        this.timers = timers;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!BackendGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        String presented = headers.get(API_KEY);
        if (presented == null) {
            return Refusal.refuse(call, Status.UNAUTHENTICATED.withDescription("missing x-api-key metadata"), timers);
        }
        if (!keys.accepts(presented)) {
            return Refusal.refuse(call, Status.UNAUTHENTICATED.withDescription("the API key is not valid"), timers);
        }
        return next.startCall(call, headers);
    }
}
