package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Channel and room records as the fields of their Redis hashes (docs/architecture.md, key layout). A
 * private room's members are one field, user ids separated by newlines (user ids contain none).
 */
final class DirectoryCodec {

    private static final String RULE = "rule.";
    private static final String TAG = "tag.";

    private DirectoryCodec() {
    }

    /** field, value, field, value...: the whole channel record. */
    static List<String> channelFields(ChannelRecord channel) {
        List<String> fields = new ArrayList<>(List.of("name", channel.name(), "sort", Integer.toString(channel.sortOrder())));
        for (int i = 0; i < channel.tags().size(); i++) {
            fields.add(TAG + i);
            fields.add(channel.tags().get(i));
        }
        channel.rules().forEach((action, rule) -> {
            fields.add(RULE + action);
            fields.add(rule);
        });
        return fields;
    }

    /** The channel of a hash; null when the hash is empty (no such channel). */
    static ChannelRecord channel(String id, Map<String, String> hash) {
        if (hash.isEmpty()) {
            return null;
        }
        TreeMap<Integer, String> tags = new TreeMap<>();
        Map<String, String> rules = new TreeMap<>();
        hash.forEach((field, value) -> {
            if (field.startsWith(TAG)) {
                tags.put(Integer.parseInt(field.substring(TAG.length())), value);
            } else if (field.startsWith(RULE)) {
                rules.put(field.substring(RULE.length()), value);
            }
        });
        return new ChannelRecord(id, hash.getOrDefault("name", id), Integer.parseInt(hash.getOrDefault("sort", "0")),
                List.copyOf(tags.values()), rules);
    }

    /** field, value...: the whole room record (topic and creator only when present). */
    static List<String> roomFields(RoomRecord room) {
        List<String> fields = new ArrayList<>(List.of("channel", room.channel(), "name", room.name(),
                "kind", room.kind().name(), "createdAt", Long.toString(room.createdAt())));
        if (room.createdBy() != null) {
            fields.add("createdBy");
            fields.add(room.createdBy());
        }
        fields.addAll(updatableFields(room));
        return fields;
    }

    /** field, value...: what {@link io.dino.gateway.engine.Directory#updateRoom} replaces. */
    static List<String> updatableFields(RoomRecord room) {
        List<String> fields = new ArrayList<>(List.of("capacity", Integer.toString(room.capacity()),
                "members", String.join("\n", new java.util.TreeSet<>(room.members())),
                "events", room.membershipEvents() ? "1" : "0"));
        if (room.topic() != null) {
            fields.add("topic");
            fields.add(room.topic());
        }
        return fields;
    }

    /** Whether a room's members hear of joins and leaves, from its record's hash field (rooms without a record do). */
    static boolean membershipEvents(String eventsField) {
        return !"0".equals(eventsField);
    }

    /** The room of a hash; null when the hash is empty (no such room). */
    static RoomRecord room(String id, Map<String, String> hash) {
        if (hash.isEmpty()) {
            return null;
        }
        String members = hash.getOrDefault("members", "");
        return new RoomRecord(id, hash.get("channel"), hash.get("name"), RoomKind.valueOf(hash.get("kind")),
                Integer.parseInt(hash.getOrDefault("capacity", "0")), hash.get("topic"),
                Long.parseLong(hash.getOrDefault("createdAt", "0")), hash.get("createdBy"),
                members.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(members.split("\n"))),
                membershipEvents(hash.get("events")));
    }
}
