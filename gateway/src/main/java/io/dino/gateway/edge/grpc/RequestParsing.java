package io.dino.gateway.edge.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Answers a request that cannot be decoded (not protobuf, a string that is not UTF-8, a compressed
 * message that expands past the size limit) with the decoder's status and reason.
 *
 * <p>grpc-java (1.73) decodes a request before any interceptor sees it, and ends the call with UNKNOWN
 * "Application error processing RPC" and a SEVERE stack trace when decoding fails. Services wrapped by
 * {@link #decodeInInterceptors} take their requests as bytes and decode them inside the interceptor
 * chain, where this interceptor (installed innermost) catches the failure.
 */
public final class RequestParsing implements ServerInterceptor {

    /** The service, decoding its requests where {@link RequestParsing} sees it happen. */
    public static ServerServiceDefinition decodeInInterceptors(ServerServiceDefinition service) {
        return ServerInterceptors.useInputStreamMessages(service);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            // the call's callbacks run one at a time
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    refused = true;
                    call.close(withReason(e), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    private static Status withReason(StatusRuntimeException e) {
        Status status = e.getStatus();
        Throwable cause = status.getCause();
        return cause == null || cause.getMessage() == null ? status
                : status.withDescription(status.getDescription() + ": " + cause.getMessage()).withCause(null);
    }
}
