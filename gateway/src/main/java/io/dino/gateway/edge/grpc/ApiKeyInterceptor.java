package io.dino.gateway.edge.grpc;

import io.dino.gateway.auth.ApiKeys;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.Set;

/**
 * Lets a call through only with a configured key in the {@code x-api-key} header, except to the gRPC health and
 * reflection services, which probes and grpcurl use without one. Deny by default: a service added to the
 * backend API later is guarded without anyone remembering to list it.
 */
public final class ApiKeyInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final ServerCall.Listener<Object> NOTHING = new ServerCall.Listener<>() {
    };

    /** The services that need no key; every other one does. */
    private static final Set<String> OPEN = Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    private final ApiKeys keys;

    public ApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (OPEN.contains(call.getMethodDescriptor().getServiceName())) {
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
