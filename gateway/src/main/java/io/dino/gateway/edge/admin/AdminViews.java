package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.HistoryPages;
import io.dino.gateway.core.Hub;
import io.dino.gateway.core.Operations;
import io.dino.gateway.core.Session;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Nodes;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.UserPresence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The admin console's read-only views, each one or a few core reads, as the backend API reads them (invisible users
 * included). Every method answers the JSON object docs/admin-api.md shows for its endpoint.
 */
final class AdminViews {

    /** Sessions one answer lists at most (the newest are left out past it; {@code truncated} says so). */
    static final int MAX_SESSIONS = 500;
    /** Rooms a member count is read for at once (the core's limit per call). */
    private static final int COUNT_BATCH = 100;
    static final int MAX_HISTORY = 200;

    private final Operations operations;
    private final Hub hub;
    private final Nodes nodes;
    private final String nodeId;
    private final AdminHttp http;

    AdminViews(Operations operations, Hub hub, Nodes nodes, String nodeId, AdminHttp http) {
        this.operations = operations;
        this.hub = hub;
        this.nodes = nodes;
        this.nodeId = nodeId;
        this.http = http;
    }

    ObjectNode me(AdminAuth.Caller caller) {
        ObjectNode me = http.object().put("by", caller.by()).put("kind", caller.kind()).put("node", nodeId);
        caller.roles().forEach(me.putArray("roles")::add);
        return me;
    }

    ObjectNode nodes() {
        ObjectNode result = http.object().put("node", nodeId);
        ArrayNode list = result.putArray("nodes");
        for (Nodes.NodeLoad load : engineCall(nodes::live)) {
            list.addObject().put("node", load.node()).put("version", load.version()).put("startedAt", load.startedAt())
                    .put("reportedAt", load.reportedAt()).put("sessions", load.sessions()).put("users", load.users())
                    .put("rooms", load.rooms()).put("self", load.node().equals(nodeId));
        }
        return result;
    }

    /** This node's sessions, oldest first. */
    ObjectNode sessions() {
        List<Session> sessions = hub.sessions();
        ObjectNode result = http.object().put("node", nodeId).put("total", sessions.size())
                .put("truncated", sessions.size() > MAX_SESSIONS);
        ArrayNode list = result.putArray("sessions");
        sessions.stream().limit(MAX_SESSIONS).forEach(session -> session(list.addObject(), session));
        return result;
    }

    private static void session(ObjectNode json, Session session) {
        json.put("session", session.id()).put("user", session.user()).put("since", session.openedAt())
                .put("peer", session.peer());
        session.roomList().forEach(json.putArray("rooms")::add);
    }

    ObjectNode channels() {
        ObjectNode result = http.object();
        ArrayNode list = result.putArray("channels");
        for (Directory.ChannelRecord channel : operations.admin().channels()) {
            list.addObject().put("id", channel.id()).put("name", channel.name());
        }
        return result;
    }

    /** The registered rooms of a channel with their member counts, and the rooms this node holds sessions in. */
    ObjectNode rooms(Optional<String> channel) {
        String id = channel.filter(c -> !c.isBlank()).orElse(Directory.DEFAULT_CHANNEL);
        List<Directory.RoomRecord> rooms = operations.admin().rooms(id);
        List<String> held = hub.roomNames();
        List<String> counted = new ArrayList<>(rooms.stream().map(Directory.RoomRecord::id).toList());
        held.stream().filter(room -> !counted.contains(room)).forEach(counted::add);
        Map<String, List<String>> members = new java.util.HashMap<>();
        for (int from = 0; from < counted.size(); from += COUNT_BATCH) {
            members.putAll(operations.rooms().membersOfRooms(counted.subList(from, Math.min(counted.size(), from + COUNT_BATCH))));
        }
        ObjectNode result = http.object().put("channel", id).put("node", nodeId);
        ArrayNode registered = result.putArray("rooms");
        for (Directory.RoomRecord room : rooms) {
            registered.addObject().put("id", room.id()).put("name", room.name())
                    .put("kind", room.kind().name().toLowerCase(java.util.Locale.ROOT)).put("capacity", room.capacity())
                    .put("topic", room.topic() == null ? "" : room.topic())
                    .put("users", members.getOrDefault(room.id(), List.of()).size());
        }
        ArrayNode active = result.putArray("held");
        for (String room : held) {
            active.addObject().put("id", room).put("users", members.getOrDefault(room, List.of()).size());
        }
        return result;
    }

    /** A room: its record when registered, its members cluster-wide (invisible ones too), its bans and mutes. */
    ObjectNode room(String room) {
        List<String> members = operations.rooms().members(room);
        ObjectNode result = http.object().put("room", room);
        try {
            Directory.RoomRecord record = operations.admin().room(room);
            result.putObject("record").put("name", record.name()).put("channel", record.channel())
                    .put("kind", record.kind().name().toLowerCase(java.util.Locale.ROOT)).put("capacity", record.capacity())
                    .put("topic", record.topic() == null ? "" : record.topic()).put("createdAt", record.createdAt())
                    .put("createdBy", record.createdBy() == null ? "" : record.createdBy());
        } catch (DinoException e) {
            if (e.code() != ErrorCode.NO_SUCH_ROOM) {
                throw e;
            }
            result.putNull("record");  // an open room: exists while it has members or history
        }
        members.stream().sorted().forEach(result.putArray("members")::add);
        sanctions(result.putArray("bans"), operations.sanctions().listBans(Optional.of(Sanctions.Target.room(room)), Optional.empty()));
        sanctions(result.putArray("mutes"), operations.sanctions().listMutes(room));
        return result;
    }

    /** A page of a room's history, newest {@code limit} before {@code before} (an offset), oldest first. */
    ObjectNode history(String room, int limit, OptionalLong before) {
        HistoryPages.HistoryResult page = operations.rooms().history(room, limit, before, OptionalLong.empty());
        ObjectNode result = http.object().put("room", room).put("epoch", page.position().epoch())
                .put("offset", page.position().offset()).put("truncated", page.truncated());
        ArrayNode messages = result.putArray("messages");
        for (Publication message : page.messages()) {
            messages.addObject().put("id", message.id()).put("from", message.sender()).put("ts", message.timestamp())
                    .put("epoch", message.position().epoch()).put("offset", message.position().offset())
                    .putRawValue("body", new RawValue(message.bodyJson()));
        }
        return result;
    }

    /** A user: status and last online, rooms cluster-wide, sessions on this node, roles granted, bans. */
    ObjectNode user(String user) {
        UserPresence presence = operations.presence().presence(List.of(user)).getFirst();
        ObjectNode result = http.object().put("user", user).put("status", presence.status().wireName())
                .put("lastOnline", presence.lastOnline().orElse(0));
        operations.rooms().roomsOfUsers(List.of(user)).getOrDefault(user, List.of()).stream().sorted()
                .forEach(result.putArray("rooms")::add);
        ArrayNode here = result.put("node", nodeId).putArray("sessionsHere");
        hub.sessionsOfUser(user).forEach(session -> session(here.addObject(), session));
        ArrayNode grants = result.putArray("grants");
        for (Roles.Grant grant : operations.roles().grantsOf(List.of(user)).getOrDefault(user, List.of())) {
            grants.addObject().put("scope", grant.scope().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("target", grant.scope().id()).put("role", grant.role());
        }
        sanctions(result.putArray("bans"), operations.sanctions().listBans(Optional.empty(), Optional.of(user)));
        return result;
    }

    private static void sanctions(ArrayNode list, List<Sanctions.Sanction> sanctions) {
        for (Sanctions.Sanction sanction : sanctions) {
            list.addObject().put("user", sanction.user()).put("scope", sanction.target().scopeName())
                    .put("target", sanction.target().id()).put("until", sanction.until()).put("by", sanction.by())
                    .put("reason", sanction.reason()).put("at", sanction.at());
        }
    }

    private static <T> T engineCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (io.dino.gateway.engine.EngineUnavailableException e) {
            throw new DinoException(ErrorCode.UNAVAILABLE, "the engine is unavailable: " + e.getMessage());
        }
    }
}
