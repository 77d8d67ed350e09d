package io.dino.gateway.auth;

/** A token that must not open a session, with why. */
public final class TokenRejectedException extends Exception {

    /** Expired tokens get their own answer, so clients know to fetch a fresh one. */
    public enum Reason { INVALID, EXPIRED }

    private final Reason reason;

    public TokenRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
