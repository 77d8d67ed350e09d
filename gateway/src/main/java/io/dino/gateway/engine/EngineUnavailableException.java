package io.dino.gateway.engine;

/**
 * The engine could not do what was asked (its store is unreachable or refused). The operation did
 * not take effect; the caller may retry. Callers must never report success after this.
 */
public final class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineUnavailableException(String message) {
        super(message);
    }
}
