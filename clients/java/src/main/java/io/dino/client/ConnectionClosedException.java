package io.dino.client;

/**
 * Fails requests that were still waiting for a reply when the connection ended (or that were made after it
 * ended). A subclass of {@link DinoException} so that one catch handles every way a command can fail; its
 * {@link #code()} is the close code and its {@link #name()} is {@code CONNECTION_CLOSED}.
 */
public final class ConnectionClosedException extends DinoException {

    public static final String NAME = "CONNECTION_CLOSED";

    private final CloseStatus closeStatus;

    public ConnectionClosedException(CloseStatus closeStatus, Throwable cause) {
        super(closeStatus.code(), NAME, "connection closed: " + closeStatus.code() + " " + closeStatus.reason(), cause);
        this.closeStatus = closeStatus;
    }

    public CloseStatus closeStatus() {
        return closeStatus;
    }
}
