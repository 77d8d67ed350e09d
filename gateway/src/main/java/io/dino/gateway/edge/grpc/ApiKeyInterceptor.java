package io.dino.gateway.edge.grpc;

import io.dino.gateway.auth.ApiKeys;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.ModerationGrpc;
import io.dino.api.v1.RolesGrpc;
import io.dino.api.v1.RoomsGrpc;
import io.dino.api.v1.TokensGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Lets a call to the backend API through only with a configured key in the {@code x-api-key} header.
 * The gRPC health and reflection services stay open: probes and grpcurl need no key.
 */
public final class ApiKeyInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final ServerCall.Listener<Object> NOTHING = new ServerCall.Listener<>() {
    };

    /** The services of the backend API; any other (health, reflection) needs no key. */
    private static final java.util.Set<String> GUARDED = java.util.Set.of(BackendGrpc.SERVICE_NAME, RolesGrpc.SERVICE_NAME,
            RoomsGrpc.SERVICE_NAME, ModerationGrpc.SERVICE_NAME, io.dino.api.v1.ReceiptsGrpc.SERVICE_NAME,
            io.dino.api.v1.EventsGrpc.SERVICE_NAME, TokensGrpc.SERVICE_NAME);

    private final ApiKeys keys;

    public ApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!GUARDED.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        String presented = headers.get(API_KEY);
        if (presented == null) {
            return refuse(call, "missing x-api-key metadata");
        }
        if (!keys.accepts(presented)) {
            return refuse(call, "the API key is not valid");
        }
        return next.startCall(call, headers);
    }

    @SuppressWarnings("unchecked")  // the listener ignores every message, whatever its type
    private static <Q> ServerCall.Listener<Q> refuse(ServerCall<Q, ?> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return (ServerCall.Listener<Q>) NOTHING;
    }
}
