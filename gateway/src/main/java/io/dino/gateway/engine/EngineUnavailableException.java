package io.dino.gateway.engine;

/**
 * The engine could not do what was asked (its store is unreachable, refused, or did not answer in
 * time). The operation was not acknowledged: after a timeout it may or may not have taken effect, so
 * callers retry idempotently, and never report success after this.
 */
public final class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineUnavailableException(String message) {
        super(message);
    }
}
