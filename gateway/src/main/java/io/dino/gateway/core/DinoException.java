package io.dino.gateway.core;

/**
 * A typed error from a core operation. The edges translate it: a JSON error reply on WebSockets,
 * a gRPC status on the backend API.
 */
public final class DinoException extends RuntimeException {

    private final ErrorCode code;

    public DinoException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public DinoException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    public ErrorCode code() {
        return code;
    }
}
