package io.dino.gateway.engine;

/** {@link Rooms#enter} refused: the room holds as many users as its capacity allows. Nothing was changed. */
public final class RoomFullException extends RuntimeException {

    private final int capacity;

    public RoomFullException(String room, int capacity) {
        super("room '" + room + "' is full (" + capacity + " users)", null, false, false);
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
