package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.UserPresence;
import io.dino.gateway.engine.UserStatus;

import java.util.List;

import static io.dino.gateway.core.EngineCalls.call;

/** Who is online, users' status (online, away, invisible) and last-online time, and closing a user's sessions. */
public final class PresenceOperations {

    /** Most users one presence query may name. */
    public static final int MAX_PRESENCE_USERS = 100;

    private final Broker broker;
    private final PresenceStore presence;
    private final GatewayConfig.Presence rules;
    private final Happenings happenings;

    PresenceOperations(Broker broker, PresenceStore presence, GatewayConfig config, Happenings happenings) {
        this.happenings = happenings;
        this.broker = broker;
        this.presence = presence;
        this.rules = config.presence();
    }

    /**
     * Sets the status of the session's user (all the user's sessions share it). {@code invisible} is for
     * operators, or for everyone with {@code dino.presence.invisible-for-all}.
     */
    public UserStatus setStatus(Session session, String status) {
        UserStatus parsed = settableStatus(status);
        if (parsed == UserStatus.INVISIBLE && !rules.invisibleForAll() && !session.principal().isOperator()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "only operators may be invisible");
        }
        return session.change(() -> {
            applyStatus(session.user(), parsed, MessageOperations.SESSION);
            return parsed;
        });
    }

    /** Sets a user's status from the backend (any status, invisible included); NOT_ONLINE if the user has no session. */
    public UserStatus setStatus(String user, String status) {
        Names.user(user);
        UserStatus parsed = settableStatus(status);
        applyStatus(user, parsed, MessageOperations.BACKEND);
        return parsed;
    }

    private void applyStatus(String user, UserStatus status, String source) {
        if (!call(() -> presence.setStatus(user, status))) {
            throw new DinoException(ErrorCode.NOT_ONLINE, "user '" + user + "' is not online");
        }
        call(() -> broker.control(LogId.user(user), new Control.StatusChanged(user, status.wireName())));
        happenings.emit(io.dino.gateway.events.EventType.STATUS_CHANGED, "", user, "",
                java.util.Map.of("status", status.wireName(), "source", source));
    }

    private static UserStatus settableStatus(String status) {
        return UserStatus.ofWireName(status).filter(s -> s != UserStatus.OFFLINE).orElseThrow(() ->
                new DinoException(ErrorCode.INVALID_VALUE, "status must be online, away or invisible, got '" + status + "'"));
    }

    /**
     * Status and last-online time of up to {@link #MAX_PRESENCE_USERS} users, as a session may see them: an
     * invisible user is offline to everyone but operators and the user itself.
     */
    public List<UserPresence> presence(Session viewer, List<String> users) {
        if (users.isEmpty() || users.size() > MAX_PRESENCE_USERS) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "name 1-" + MAX_PRESENCE_USERS + " users");
        }
        users.forEach(Names::user);
        List<UserPresence> truth = call(() -> presence.presence(users));
        if (viewer.principal().isOperator()) {
            return truth;
        }
        return truth.stream()
                .map(p -> p.status() == UserStatus.INVISIBLE && !p.user().equals(viewer.user())
                        ? new UserPresence(p.user(), UserStatus.OFFLINE, p.lastOnline())
                        : p)
                .toList();
    }

    /** Status and last-online time of users as they are (the backend is trusted: invisible users show as such). */
    public List<UserPresence> presence(List<String> users) {
        users.forEach(Names::user);
        return call(() -> presence.presence(users));
    }

    public List<String> onlineUsers() {
        return call(presence::onlineUsers);
    }

    public List<String> online(List<String> users) {
        users.forEach(Names::user);
        return call(() -> presence.online(users));
    }

    /**
     * Closes every session of the user, on whichever nodes they are, with the disconnect event; returns once
     * every node holding one has closed them (or has been declared dead), with how many were closed.
     */
    public int disconnectUser(String user, String reason, boolean reconnect) {
        Names.user(user);
        Control.DisconnectUser command = new Control.DisconnectUser(user,
                reason.isBlank() ? "disconnected by the server" : reason, reconnect);
        return call(() -> broker.control(LogId.user(user), command));
    }
}
