package io.dino.gateway.acl;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a channel's access rules guard; each action has at most one rule (docs/protocol.md, "Access control"). */
public enum ChannelAction implements AclAction {
    /** Whether the channel shows in channel lists. */
    LIST,
    /** Creating an ephemeral or private room in the channel. */
    CREATE,
    /** Sending to the channel's rooms. */
    MESSAGE,
    /** Sending from one room of the channel to another. */
    CROSSROOM,
    /** Private messages between users of the channel. */
    WHISPER;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChannelAction> byId(String id) {
        return Arrays.stream(values()).filter(action -> action.id().equals(id)).findFirst();
    }
}
