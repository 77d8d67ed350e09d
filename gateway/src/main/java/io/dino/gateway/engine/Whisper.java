package io.dino.gateway.engine;

import java.util.List;

/**
 * Marks an inbox publication as a whisper: a message to named members of a room, stored in each recipient's
 * inbox and in the sender's, and shown by clients in the room (docs/protocol.md, "whisper").
 *
 * @param room the room it was whispered in
 * @param to   the recipients, in the order the sender named them (every copy carries all of them, so each
 *             recipient and the sender's other sessions see who else got it)
 */
public record Whisper(String room, List<String> to) {

    public Whisper {
        to = List.copyOf(to);
    }
}
