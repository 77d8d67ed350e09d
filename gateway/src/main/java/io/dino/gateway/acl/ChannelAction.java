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
    /** Whispers in the channel's rooms: messages to named members of a room ({@code whisper}). */
    WHISPER;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChannelAction> byId(String id) {
        return Arrays.stream(values()).filter(action -> action.id().equals(id)).findFirst();
    }
}
