package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.ChannelAcl;
import io.dino.gateway.acl.ChannelAction;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.acl.Verdict;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomRecord;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything access to one room depends on, as read at one moment: the room's directory record (none for an
 * open room), its channel's record and rules, the room's rules and the roles stored for the room and for its
 * channel. Immutable: {@link RoomPolicy} caches one per room this node holds and drops it when any part
 * changes, so a decision made from it costs no engine call.
 *
 * <p>The decision, for everyone but operators (who pass everything): a private room admits only its members
 * (to join, read, list members, send, or see it in lists); then the room's rule for the action; for
 * {@code message} also the channel's {@code message} rule, for {@code crossroom} the channel's {@code crossroom}
 * rule. Rules see the stored roles of the user as {@code owner}, {@code moderator} (room) and
 * {@code channel-owner}, {@code channel-admin} (channel), besides the token's roles.
 */
public final class RoomRules {

    /** What a private room keeps to its members. */
    private static final Set<RoomAction> PRIVATE_ACTIONS = EnumSet.of(RoomAction.JOIN, RoomAction.HISTORY,
            RoomAction.MEMBERS, RoomAction.MESSAGE, RoomAction.LIST);
    /** Told in {@code not allowed to join room 'x': needs ...} when a private room refuses. */
    static final String PRIVATE_REFUSAL = "membership of the private room";

    private final String room;
    private final Optional<RoomRecord> record;
    private final ChannelRecord channel;
    private final ChannelAcl channelAcl;
    private final RoomAcl acl;
    private final Map<String, Set<String>> roomRoles;
    private final Map<String, Set<String>> channelRoles;
    private final RoomSanctions sanctions;

    /**
     * @param record       the room's record; empty for an open (unregistered) room, which is in the default channel
     * @param channel      the record of the room's channel
     * @param roomRoles    user → stored roles in the room ({@code owner}, {@code moderator})
     * @param channelRoles user → stored roles in the channel ({@code owner}, {@code admin})
     * @throws IllegalArgumentException when the channel's stored rules cannot be read
     */
    public RoomRules(String room, Optional<RoomRecord> record, ChannelRecord channel, RoomAcl acl,
                     Map<String, Set<String>> roomRoles, Map<String, Set<String>> channelRoles) {
        this(room, record, channel, ChannelAcl.parse(channel.rules()), acl, copy(roomRoles), copy(channelRoles),
                RoomSanctions.NONE);
    }

    private RoomRules(String room, Optional<RoomRecord> record, ChannelRecord channel, ChannelAcl channelAcl, RoomAcl acl,
                      Map<String, Set<String>> roomRoles, Map<String, Set<String>> channelRoles, RoomSanctions sanctions) {
        this.room = room;
        this.record = record;
        this.channel = channel;
        this.channelAcl = channelAcl;
        this.acl = acl;
        this.roomRoles = roomRoles;
        this.channelRoles = channelRoles;
        this.sanctions = sanctions;
    }

    /** An open room of the default channel without rules or roles. */
    public static RoomRules open(String room) {
        return new RoomRules(room, Optional.empty(), Directory.implicitDefault(), RoomAcl.OPEN, Map.of(), Map.of());
    }

    /** These rules with the room's ACL replaced. */
    public RoomRules withAcl(RoomAcl replaced) {
        return new RoomRules(room, record, channel, channelAcl, replaced, roomRoles, channelRoles, sanctions);
    }

    /** These rules with the room's bans and mutes (and its channel's bans) as read with them. */
    RoomRules withSanctions(RoomSanctions read) {
        return new RoomRules(room, record, channel, channelAcl, acl, roomRoles, channelRoles, read);
    }

    /** The bans and mutes read with these rules (none when read without them). */
    RoomSanctions sanctions() {
        return sanctions;
    }

    /** Whether the user may ban in the channel of the room: operators and the channel's owners and admins. */
    boolean administersChannel(Principal principal) {
        Set<String> inChannel = channelRoles.getOrDefault(principal.user(), Set.of());
        return principal.isOperator() || inChannel.contains("owner") || inChannel.contains("admin");
    }

    public String room() {
        return room;
    }

    public Optional<RoomRecord> record() {
        return record;
    }

    public boolean registered() {
        return record.isPresent();
    }

    /** The id of the room's channel. */
    public String channel() {
        return channel.id();
    }

    public ChannelRecord channelRecord() {
        return channel;
    }

    public RoomAcl acl() {
        return acl;
    }

    /** {@code open}, {@code static}, {@code ephemeral} or {@code private}, as join replies name it. */
    public String kind() {
        return record.map(r -> r.kind().name().toLowerCase(Locale.ROOT)).orElse("open");
    }

    /** The room's display name (registered rooms only). */
    public Optional<String> name() {
        return record.map(RoomRecord::name);
    }

    /** Most users at once; 0 for no limit. */
    public int capacity() {
        return record.map(RoomRecord::capacity).orElse(0);
    }

    /** Whether the room's members are told of joins and leaves. */
    public boolean membershipEvents() {
        return record.map(RoomRecord::membershipEvents).orElse(true);
    }

    /** The room's owners (stored role {@code owner} of the room), sorted. */
    public List<String> owners() {
        return roomRoles.entrySet().stream().filter(e -> e.getValue().contains("owner")).map(Map.Entry::getKey).toList();
    }

    /** The stored roles the user holds here as rules see them: {@code owner}, {@code moderator}, {@code channel-owner}, {@code channel-admin}. */
    public Set<String> contextRoles(String user) {
        Set<String> roles = new HashSet<>(roomRoles.getOrDefault(user, Set.of()));
        channelRoles.getOrDefault(user, Set.of()).forEach(role -> roles.add("channel-" + role));
        return roles;
    }

    /** Whether the user may do the action here; {@code subject} has the session's whereabouts, its stored roles are added here. */
    public Verdict check(AclSubject subject, RoomAction action) {
        if (subject.isOperator()) {
            return new Verdict(true, "");
        }
        if (isPrivate() && PRIVATE_ACTIONS.contains(action) && !record.orElseThrow().members().contains(subject.principal().user())) {
            return new Verdict(false, PRIVATE_REFUSAL);
        }
        AclSubject withRoles = subject.withContextRoles(contextRoles(subject.principal().user()));
        Verdict verdict = acl.check(withRoles, action);
        if (!verdict.passed()) {
            return verdict;
        }
        return switch (action) {
            case MESSAGE -> channelAcl.check(withRoles, ChannelAction.MESSAGE);
            case CROSSROOM -> channelAcl.check(withRoles, ChannelAction.CROSSROOM);
            default -> verdict;
        };
    }

    /**
     * Whether the user may whisper here: what {@link #check} says for {@code message} (the room's and the channel's
     * message rules, a private room's membership), then the channel's {@code whisper} rule.
     */
    public Verdict checkWhisper(AclSubject subject) {
        Verdict message = check(subject, RoomAction.MESSAGE);
        if (!message.passed() || subject.isOperator()) {
            return message;
        }
        return channelAcl.check(subject.withContextRoles(contextRoles(subject.principal().user())), ChannelAction.WHISPER);
    }

    /** Operators, the room's owners and the channel's owners and admins may rename, remove and set the rules of the room. */
    public boolean manages(Principal principal) {
        if (principal.isOperator() || roomRoles.getOrDefault(principal.user(), Set.of()).contains("owner")) {
            return true;
        }
        Set<String> inChannel = channelRoles.getOrDefault(principal.user(), Set.of());
        return inChannel.contains("owner") || inChannel.contains("admin");
    }

    /** Operators, the room's owners and moderators and the channel's owners and admins may kick users out of the room. */
    public boolean moderates(Principal principal) {
        return manages(principal) || roomRoles.getOrDefault(principal.user(), Set.of()).contains("moderator");
    }

    /** What the subject may do here, sorted: among {@code history, members, message, remove, rename, setacl}. */
    public List<String> rights(AclSubject subject) {
        List<String> rights = new ArrayList<>();
        if (check(subject, RoomAction.HISTORY).passed()) {
            rights.add("history");
        }
        if (check(subject, RoomAction.MEMBERS).passed()) {
            rights.add("members");
        }
        if (check(subject, RoomAction.MESSAGE).passed()) {
            rights.add("message");
        }
        if (manages(subject.principal())) {
            rights.addAll(List.of("remove", "rename", "setacl"));
        }
        return List.copyOf(rights);
    }

    private boolean isPrivate() {
        return record.map(r -> r.kind() == Directory.RoomKind.PRIVATE).orElse(false);
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> roles) {
        Map<String, Set<String>> sorted = new TreeMap<>();
        roles.forEach((user, held) -> sorted.put(user, Set.copyOf(held)));
        return java.util.Collections.unmodifiableMap(sorted);
    }
}
