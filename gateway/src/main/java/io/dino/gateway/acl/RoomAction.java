package io.dino.gateway.acl;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a room's access rules guard; each action has at most one rule (docs/protocol.md, "Access control"). */
public enum RoomAction implements AclAction {
    /** {@code join}; also decides who stays in the room when its rules change. */
    JOIN,
    /** {@code send} to the room. */
    MESSAGE,
    /** {@code history} of the room. */
    HISTORY,
    /** {@code members} of the room. */
    MEMBERS,
    /** Whether the room shows in room lists. */
    LIST,
    /** The room is an autojoin room (it has this rule): sessions passing it and {@code join} enter it at connect. */
    AUTOJOIN,
    /** {@code send} to the room from another room of its channel ({@code "via"}). */
    CROSSROOM;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RoomAction> byId(String id) {
        return Arrays.stream(values()).filter(action -> action.id().equals(id)).findFirst();
    }
}
