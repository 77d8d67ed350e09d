package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.MessageDeletes;
import io.dino.gateway.core.Operations;
import io.dino.gateway.core.SanctionOperations;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The moderation actions of the admin console, each exactly the core operation the backend API's call runs
 * (ModerationService, BackendService), with {@code by} = the caller. Every action, done or refused, leaves one audit
 * line on the logger {@value #AUDIT_LOGGER} and one {@code admin-action} event (docs/events.md), emitted by this node,
 * besides the operation's own event ({@code kicked}, {@code banned}...) when it was done.
 */
final class AdminActions {

    /** The audit log's logger name. */
    static final String AUDIT_LOGGER = "dino.admin";
    private static final Logger AUDIT = System.getLogger(AUDIT_LOGGER);
    /** The longest reason, as for the moderation operations. */
    static final int MAX_REASON = io.dino.gateway.core.Moderation.MAX_REASON;

    /** The actions, as the path {@code /admin/api/actions/<name>} names them. */
    enum Action {
        DISCONNECT, KICK, BAN, UNBAN, MUTE, UNMUTE, DELETE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Action of(String name) {
            for (Action action : values()) {
                if (action.wireName().equals(name)) {
                    return action;
                }
            }
            throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "no admin action '" + name
                    + "': disconnect, kick, ban, unban, mute, unmute or delete");
        }
    }

    /** What an action is about and what it did (the event's room and user, and its data). */
    private static final class Record {
        String room = "";
        String user = "";
        final Map<String, String> data = new LinkedHashMap<>();
    }

    private final Operations operations;
    private final AdminHttp http;
    private final InstantSource clock;

    AdminActions(Operations operations, AdminHttp http, InstantSource clock) {
        this.operations = operations;
        this.http = http;
        this.clock = clock;
    }

    /** Runs the action {@code body} asks for; the reply's JSON, or the operation's DinoException (after the audit). */
    ObjectNode run(AdminAuth.Caller caller, String name, JsonNode body) {
        Action action = Action.of(name);
        Record record = new Record();
        String reason = "";
        try {
            reason = reason(AdminHttp.optionalText(body, "reason"));
            ObjectNode result = perform(action, caller.by(), body, reason, record);
            audit(caller, action, record, reason, "ok");
            return result.put("action", action.wireName());
        } catch (DinoException e) {
            audit(caller, action, record, reason, e.code().name());
            throw e;
        }
    }

    private ObjectNode perform(Action action, String by, JsonNode body, String reason, Record record) {
        ObjectNode result = http.object();
        switch (action) {
            case DISCONNECT -> {
                record.user = AdminHttp.text(body, "user");
                boolean reconnect = AdminHttp.optionalBoolean(body, "reconnect", false);
                record.data.put("reconnect", Boolean.toString(reconnect));
                int closed = operations.presence().disconnectUser(record.user, reason, reconnect);
                record.data.put("sessions", Integer.toString(closed));
                result.put("sessions", closed);
            }
            case KICK -> {
                record.room = AdminHttp.text(body, "room");
                record.user = AdminHttp.text(body, "user");
                int removed = operations.moderation().kickUser(record.room, record.user, reason, by);
                record.data.put("sessions", Integer.toString(removed));
                result.put("sessions", removed);
            }
            case BAN -> {
                record.user = AdminHttp.text(body, "user");
                Target target = target(body, record);
                String duration = AdminHttp.optionalText(body, "duration");
                record.data.put("duration", duration.isEmpty() ? "permanent" : duration);
                SanctionOperations.BanResult banned = operations.sanctions().banUser(record.user, target, duration, reason, by);
                record.data.put("until", Long.toString(banned.until()));
                record.data.put("sessions", Integer.toString(banned.sessions()));
                result.put("until", banned.until()).put("sessions", banned.sessions());
            }
            case UNBAN -> {
                record.user = AdminHttp.text(body, "user");
                Target target = target(body, record);
                boolean removed = operations.sanctions().unbanUser(record.user, target, by);
                record.data.put("removed", Boolean.toString(removed));
                result.put("removed", removed);
            }
            case MUTE -> {
                record.room = AdminHttp.text(body, "room");
                record.user = AdminHttp.text(body, "user");
                String duration = AdminHttp.optionalText(body, "duration");
                record.data.put("duration", duration.isEmpty() ? "permanent" : duration);
                long until = operations.sanctions().muteUser(record.room, record.user, duration, reason, by);
                record.data.put("until", Long.toString(until));
                result.put("until", until);
            }
            case UNMUTE -> {
                record.room = AdminHttp.text(body, "room");
                record.user = AdminHttp.text(body, "user");
                boolean removed = operations.sanctions().unmuteUser(record.room, record.user, by);
                record.data.put("removed", Boolean.toString(removed));
                result.put("removed", removed);
            }
            case DELETE -> {
                record.room = AdminHttp.text(body, "room");
                MessageDeletes.Target target = deletion(body, record);
                MessageDeletes.Outcome outcome = operations.deletes().deleteMessages(record.room, target, by);
                record.data.put("messageIds", String.join(",", outcome.ids()));
                record.data.put("changed", Boolean.toString(outcome.changed()));
                outcome.ids().forEach(result.putArray("messageIds")::add);
                result.put("user", outcome.user()).put("changed", outcome.changed());
            }
        }
        return result;
    }

    /** A ban's scope: {@code room} (target: the room), {@code channel} (target: the channel) or {@code global}. */
    private static Target target(JsonNode body, Record record) {
        String scope = AdminHttp.text(body, "scope");
        Target target = switch (scope) {
            case "room" -> Target.room(AdminHttp.text(body, "target"));
            case "channel" -> Target.channel(AdminHttp.text(body, "target"));
            case "global" -> Target.GLOBAL;
            default -> throw new DinoException(ErrorCode.INVALID_VALUE, "'scope' must be room, channel or global");
        };
        record.data.put("scope", scope);
        record.data.put("target", target.id());
        if (scope.equals("room")) {
            record.room = target.id();
        }
        return target;
    }

    /** One message ({@code messageId}, optionally its {@code offset}) or every message of a {@code user}. */
    private static MessageDeletes.Target deletion(JsonNode body, Record record) {
        String messageId = AdminHttp.optionalText(body, "messageId");
        String user = AdminHttp.optionalText(body, "user");
        if (messageId.isEmpty() == user.isEmpty()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give exactly one of 'messageId' or 'user'");
        }
        if (!user.isEmpty()) {
            record.user = user;
            return new MessageDeletes.Target.User(user);
        }
        record.data.put("messageId", messageId);
        JsonNode offset = body.get("offset");
        if (offset == null || offset.isNull()) {
            return new MessageDeletes.Target.Message(messageId, OptionalLong.empty());
        }
        if (!offset.canConvertToExactIntegral() || offset.asLong() < 1) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'offset' must be a whole number > 0");
        }
        return new MessageDeletes.Target.Message(messageId, OptionalLong.of(offset.asLong()));
    }

    /** As the moderation operations take it: at most {@value MAX_REASON} characters, no control characters. */
    private static String reason(String reason) {
        if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "'reason' must be at most " + MAX_REASON + " characters without control characters");
        }
        return reason;
    }

    /** A value as the audit line shows it: one line, whatever the request held; "-" for none. */
    private static String clean(String value) {
        return value.isEmpty() ? "-" : oneLine(value);
    }

    private static String oneLine(String value) {
        return value.replaceAll("\\p{Cntrl}", "?").replace("\"", "'");
    }

    private void audit(AdminAuth.Caller caller, Action action, Record record, String reason, String outcome) {
        AUDIT.log(Level.INFO, "admin action={0} by={1} ({2}) room={3} user={4} reason=\"{5}\" outcome={6} {7}",
                action.wireName(), caller.by(), caller.kind(), clean(record.room), clean(record.user), oneLine(reason), outcome,
                clean(record.data.toString()));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("action", action.wireName());
        data.put("reason", reason);
        data.put("outcome", outcome);
        data.put("via", caller.kind());
        record.data.forEach(data::putIfAbsent);
        operations.events().emit(new DomainEvent(EventType.ADMIN_ACTION, clock.millis(), record.room, record.user, caller.by(), data));
    }
}
