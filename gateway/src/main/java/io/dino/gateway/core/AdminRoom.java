package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.PresenceStore;

import java.time.InstantSource;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * The admin room ({@code dino.moderation.admin-room}, default {@value #DEFAULT}): where reports, requests for an
 * admin and shadow-blocked messages are posted, as messages from {@code system} whose body is a JSON object with a
 * {@code type}. It is a registered <em>private</em> room without members, created by every node at start when
 * missing: a private room admits only its members, and operators pass every rule, so only operators may join it,
 * read its history or list its members (the ordinary access snapshot decides; nothing special on any path).
 * Operators on every node see the posts live, and in history and recovery.
 */
public final class AdminRoom {

    /** The admin room's id when none is configured. */
    public static final String DEFAULT = "admin";
    /** The admin room's display name (its id is configured). */
    static final String NAME = "Dino admin room";

    private final String room;
    private final Broker broker;
    private final PresenceStore presence;
    private final InstantSource clock;

    AdminRoom(String room, Broker broker, PresenceStore presence, InstantSource clock) {
        this.room = Names.room(room);
        this.broker = broker;
        this.presence = presence;
        this.clock = clock;
    }

    public String room() {
        return room;
    }

    /**
     * Registers the admin room as a private room without members when no room of its id is registered; warns when one
     * is registered that is not private (then its own rules decide who reads the reports).
     */
    public void ensure(RoomAdmin admin, Directory directory) {
        Optional<Directory.RoomRecord> existing = call(() -> directory.room(room));
        // its display name is taken when a room of another id has it: then a suffixed one
        for (String name : List.of(NAME, NAME + " " + Ids.next(clock.millis()).substring(20))) {
            if (existing.isPresent()) {
                break;
            }
            try {
                admin.createRoom(new RoomAdmin.NewRoom(Optional.of(room), Directory.DEFAULT_CHANNEL, name,
                        Directory.RoomKind.PRIVATE, 0, "reports for operators", Set.of(), true, Set.of(), Set.of()));
                return;
            } catch (DinoException e) {
                if (e.code() != ErrorCode.ROOM_EXISTS) {
                    throw e;  // another node created it meanwhile is fine; anything else stops the start
                }
                existing = call(() -> directory.room(room));
            }
        }
        if (existing.isPresent() && existing.get().kind() != Directory.RoomKind.PRIVATE) {
            System.getLogger(AdminRoom.class.getName()).log(System.Logger.Level.WARNING,
                    "the admin room ''{0}'' is registered as a {1} room: its rules, not operator rights, decide who reads "
                            + "reports (remove it, or set dino.moderation.admin-room to another id)", room, existing.get().kind());
        }
    }

    /** Posts a report (a JSON object) to the admin room as {@code system}; answers the message id. */
    String post(Map<String, Object> report) {
        long now = clock.millis();
        Draft draft = new Draft(Ids.next(now), Names.SYSTEM_SENDER, now, json(report), "");
        return call(() -> broker.publish(LogId.room(room), draft)).id();
    }

    /** Users in the admin room now, on every node (only operators can be). */
    int admins() {
        return call(() -> presence.members(room)).size();
    }

    /**
     * A JSON object of the entries in order: strings are quoted, lists become arrays of strings, a {@link RawJson}
     * is written as it is (a message body, valid compact JSON already).
     */
    static String json(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder(64).append('{');
        Iterator<Map.Entry<String, Object>> entries = fields.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            quote(out, entry.getKey()).append(':');
            switch (entry.getValue()) {
                case RawJson raw -> out.append(raw.json());
                case List<?> list -> {
                    out.append('[');
                    for (int i = 0; i < list.size(); i++) {
                        quote(out, String.valueOf(list.get(i)));
                        if (i + 1 < list.size()) {
                            out.append(',');
                        }
                    }
                    out.append(']');
                }
                case Object other -> quote(out, String.valueOf(other));
            }
            if (entries.hasNext()) {
                out.append(',');
            }
        }
        return out.append('}').toString();
    }

    /** JSON text to embed as it is. */
    record RawJson(String json) {
    }

    private static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
