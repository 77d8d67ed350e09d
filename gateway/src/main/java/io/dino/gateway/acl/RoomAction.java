package io.dino.gateway.acl;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a room's access rules guard; each action has at most one rule (docs/protocol.md, "Access control"). */
public enum RoomAction {
    /** {@code join}; also decides who stays in the room when its rules change. */
    JOIN,
    /** {@code send} to the room. */
    MESSAGE,
    /** {@code history} of the room. */
    HISTORY,
    /** {@code members} of the room. */
    MEMBERS;

    /** The name used in the protocol, the gRPC API and storage. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RoomAction> byId(String id) {
        return Arrays.stream(values()).filter(action -> action.id().equals(id)).findFirst();
    }
}
