package io.dino.gateway.edge.grpc;

import io.dino.gateway.core.DinoException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Dino errors as gRPC statuses. The status description carries the message; the trailer
 * {@code dino-error} carries the error name so clients can branch on it without parsing text.
 */
final class GrpcErrors {

    static final Metadata.Key<String> ERROR_NAME = Metadata.Key.of("dino-error", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(DinoException error) {
        Status status = switch (error.code()) {
            case NOT_ALLOWED -> Status.PERMISSION_DENIED;
            case NOT_ONLINE, NO_SUCH_ROOM, NO_SUCH_CHANNEL, NO_SUCH_MESSAGE -> Status.NOT_FOUND;
            case ROOM_EXISTS, CHANNEL_EXISTS -> Status.ALREADY_EXISTS;
            case ROOM_FULL, TOO_MANY_OWNED_ROOMS, BANNED, MUTED -> Status.FAILED_PRECONDITION;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE, SHUTTING_DOWN -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
            case NOT_AUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_REVOKED -> Status.UNAUTHENTICATED;
            default -> Status.INVALID_ARGUMENT;
        };
        Metadata trailers = new Metadata();
        trailers.put(ERROR_NAME, error.code().name());
        // retryAfterMs → dino-retry-after-ms
        error.details().forEach((name, value) -> trailers.put(
                Metadata.Key.of("dino-" + name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT),
                        Metadata.ASCII_STRING_MARSHALLER), String.valueOf(value)));
        return status.withDescription(error.getMessage()).asRuntimeException(trailers);
    }
}
