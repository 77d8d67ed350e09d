package io.dino.gateway.limits;

/** The budgets a request can run out of; {@link #label()} names them in metrics and configuration. */
public enum Limited {
    /** Every frame of one session. */
    COMMANDS("commands"),
    /** {@code send}, {@code private} and {@code whisper} of one session. */
    SENDS("sends"),
    /** {@code join} of one session. */
    JOINS("joins"),
    /** The sends of all of one user's sessions on this node. */
    USER_SENDS("user-sends"),
    /** The joins of all of one user's sessions on this node. */
    USER_JOINS("user-joins"),
    /** Every backend API call made with one API key, on this node. */
    API_KEY_CALLS("api-key-calls");

    private final String label;

    Limited(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Told of every refused request, by the budget that refused it (the node's metrics). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = kind -> { };

        void refused(Limited kind);
    }
}
