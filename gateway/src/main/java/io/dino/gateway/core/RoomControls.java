package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.LogId;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Tells the nodes holding a room, or every room of a channel, that something its access depends on changed
 * (stored already), so they re-check their sessions there at once. The rooms of a channel are those the
 * directory lists: open rooms (unregistered ids of the default channel) are not reached by a channel change
 * until their holders read the rules again.
 */
final class RoomControls {

    private final Broker broker;
    private final Directory directory;

    RoomControls(Broker broker, Directory directory) {
        this.broker = broker;
        this.directory = directory;
    }

    /** The holders of the room re-check their sessions in it; answers how many sessions are being re-checked. */
    int roomChanged(String room) {
        return call(() -> broker.control(LogId.room(room), new Control.RoomRulesChanged(room)));
    }

    /** The holders of each registered room of the channel re-check their sessions in it. */
    int channelChanged(String channel) {
        int rechecked = 0;
        for (String room : call(() -> directory.roomsOf(channel))) {
            rechecked += roomChanged(room);
        }
        return rechecked;
    }

    /** Every session in the room, on any node, is told its new name. */
    int renamed(String room, String name) {
        return call(() -> broker.control(LogId.room(room), new Control.RoomRenamed(room, name)));
    }

    /** Every session in the room, on any node, is taken out of it. */
    int removed(String room) {
        return call(() -> broker.control(LogId.room(room), new Control.RoomRemoved(room)));
    }
}
