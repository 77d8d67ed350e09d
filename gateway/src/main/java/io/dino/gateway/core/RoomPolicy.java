package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.acl.Verdict;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.engine.RoomAcls;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.Sanctions.Sanction;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The policy step every room operation of a session passes through ({@link RoomOperations}, {@link MessageOperations}): may this user
 * do this action in this room? The decision is {@link RoomRules#check}: operators pass; private rooms admit their
 * members; then the room's rule and, for sends, the channel's; a refusal is NOT_ALLOWED naming the action, the
 * room and the part of the rule that failed. Backend calls are trusted and do not come here.
 *
 * <p>What a decision depends on lives in the engine (the {@link Directory}'s records, {@link RoomAcls}, stored
 * {@link Roles}); this node keeps a {@link RoomRules} snapshot of it only for rooms it holds
 * (has a session in), because those are the rooms whose changes reach it: a change is sent through the
 * control plane to the holders of the room's log ({@code RoomRulesChanged}: room rules, roles, the room's record,
 * its channel's rules), and {@link #invalidate} drops the entry. A session in
 * the room therefore reads the cache (the send path costs no engine call); a session outside it (a join,
 * a history or members of a room it is not in) reads the engine. An entry read while an invalidation ran
 * is not kept, and the entry of a room the node stops holding is dropped, so no stale entry outlives a
 * change this node was told about.
 *
 * <p>A rule sees the session as an {@link AclSubject}: its token, and whether it is in the room
 * ({@code sameroom}) and in some room of the room's channel ({@code samechannel}); both are read from the
 * session's own room set and the snapshots of those rooms (held, so cached: no engine call).
 *
 * <p>Loading a snapshot reads eight things in two scopes (room, channel): the five the rules are made of, and the
 * room's bans and mutes and the channel's bans ({@link RoomSanctions}), so joins and sends check them without a
 * read of their own; a ban or mute sends {@code BanUser}, {@code MuteUser} or {@code SanctionsChanged} to the
 * room's holders, which drops the entry like any other change. They are issued together on
 * {@code reads} (virtual threads on Redis, whose connection pipelines concurrent commands: one round trip),
 * with the channel guessed: the channel of the room's cached or previous snapshot, or the default one. Only when the
 * record names another channel are its record and roles read after it (a second round trip).
 */
public final class RoomPolicy {

    private final RoomAcls store;
    private final Directory directory;
    private final Roles roles;
    private final Executor reads;
    private final boolean openRooms;
    /** Bans and mutes read into each snapshot; null: none (a policy of rules alone, in tests). */
    private final Sanctions sanctions;
    private final java.time.InstantSource clock;
    private final Map<String, RoomRules> cache = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    /**
     * @param reads runs the reads of one snapshot concurrently ({@code Runnable::run} for an engine whose
     *              calls cost no round trip)
     * @param openRooms whether unregistered room ids are open rooms ({@code dino.rooms.open-rooms}); when not,
     *                  every operation on one is refused with NO_SUCH_ROOM
     */
    public RoomPolicy(RoomAcls store, Directory directory, Roles roles, Executor reads, boolean openRooms) {
        this(store, directory, roles, null, java.time.InstantSource.system(), reads, openRooms);
    }

    /**
     * @param sanctions the bans and mutes each snapshot reads with the rules (the room's bans and mutes, its
     *                  channel's bans), so that joins and sends decide on them without an engine call of their own
     * @param clock     the time expired sanctions are pruned at when read
     */
    public RoomPolicy(RoomAcls store, Directory directory, Roles roles, Sanctions sanctions, java.time.InstantSource clock,
                      Executor reads, boolean openRooms) {
        this.store = store;
        this.directory = directory;
        this.roles = roles;
        this.sanctions = sanctions;
        this.clock = clock;
        this.reads = reads;
        this.openRooms = openRooms;
    }

    /** Refuses with NOT_ALLOWED unless the session may do the action in the room; answers the rules decided on. */
    RoomRules authorize(Session session, RoomAction action, String room) {
        RoomRules rules = existing(rulesFor(session, room));
        require(subject(session, rules), rules, action, room);
        if (action == RoomAction.MESSAGE) {
            SanctionRefusals.requireNotMuted(rules, session.user(), clock.millis());
        }
        return rules;
    }

    /** BANNED when the session's user is banned from the room or its channel, as the snapshot says (operators too). */
    void requireNotBanned(Session session, RoomRules rules) {
        SanctionRefusals.requireNotBanned(rules, session.user(), clock.millis());
    }

    /**
     * {@link #authorize} for a join, which may read the node's cached snapshot even though the session is not in the
     * room yet: an entry exists while the node holds the room, and is kept current by the control plane. A join
     * that makes this node a holder reads the rules again once in ({@link RoomOperations}), which covers an entry
     * left from before.
     */
    RoomRules authorizeJoin(Session session, String room) {
        RoomRules cachedRules = cache.get(room);
        RoomRules rules = existing(cachedRules != null ? cachedRules : current(room));
        require(subject(session, rules), rules, RoomAction.JOIN, room);
        requireNotBanned(session, rules);
        return rules;
    }

    /** NO_SUCH_ROOM for an unregistered room when open rooms are off (an engine read then; nothing otherwise). */
    void requireExists(String room) {
        if (!openRooms) {
            existing(current(room));
        }
    }

    /** The rules of a room that exists: registered, or open while open rooms are allowed; else NO_SUCH_ROOM. */
    RoomRules existing(RoomRules rules) {
        if (!openRooms && !rules.registered()) {
            throw new DinoException(ErrorCode.NO_SUCH_ROOM, "no such room '" + rules.room() + "'");
        }
        return rules;
    }

    /** The room's rules as this session's operations see them: cached when the session is in the room, else read. */
    RoomRules rulesFor(Session session, String room) {
        return session.isIn(room) ? held(room) : current(room);
    }

    /**
     * Refuses with NOT_ALLOWED unless the session, in room {@code via}, may send to {@code room}: both in one
     * channel (for operators too: it is where the rooms are, not a rule), and the target's {@code crossroom} and
     * {@code message} rules pass. The target's rules come from this node's cache when the session is in the
     * target, otherwise from the engine (one read: the node may not hold the target, so its cache may be stale).
     */
    RoomRules authorizeCrossRoom(Session session, String via, String room) {
        String prefix = "not allowed to send to room '" + room + "' from room '" + via + "': ";
        RoomRules target = existing(rulesFor(session, room));
        if (!held(via).channel().equals(target.channel())) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, prefix + "the rooms are in different channels");
        }
        AclSubject subject = subject(session, target);
        for (RoomAction action : new RoomAction[]{RoomAction.CROSSROOM, RoomAction.MESSAGE}) {
            Verdict verdict = target.check(subject, action);
            if (!verdict.passed()) {
                throw new DinoException(ErrorCode.NOT_ALLOWED, prefix + "needs " + verdict.failed());
            }
        }
        SanctionRefusals.requireNotMuted(target, session.user(), clock.millis());
        return target;
    }

    /**
     * Refuses with NOT_ALLOWED unless the session, in the room, may whisper there: the room's {@code message} rule
     * (with the channel's) and the channel's {@code whisper} rule, from this node's cache (the session is in the room).
     */
    RoomRules authorizeWhisper(Session session, String room) {
        RoomRules rules = held(room);
        Verdict verdict = rules.checkWhisper(subject(session, rules));
        if (!verdict.passed()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to whisper in room '" + room + "': needs " + verdict.failed());
        }
        SanctionRefusals.requireNotMuted(rules, session.user(), clock.millis());
        return rules;
    }

    /** The session as a rule of the room sees it: its token, whether it is in the room and in the room's channel. */
    AclSubject subject(Session session, RoomRules rules) {
        boolean inRoom = session.isIn(rules.room());
        return AclSubject.of(session.principal(), inRoom, inRoom || inChannel(session, rules.channel(), true));
    }

    /**
     * {@link #subject(Session, RoomRules)} from cached snapshots only (for a thread that must not wait on the
     * engine): a room of the session without one counts as outside the channel.
     */
    AclSubject cachedSubject(Session session, RoomRules rules) {
        boolean inRoom = session.isIn(rules.room());
        return AclSubject.of(session.principal(), inRoom, inRoom || inChannel(session, rules.channel(), false));
    }

    private boolean inChannel(Session session, String channel, boolean read) {
        for (String room : session.rooms()) {
            RoomRules rules = read ? held(room) : cache.get(room);
            if (rules != null && channel.equals(rules.channel())) {
                return true;
            }
        }
        return false;
    }

    /** Refuses with NOT_ALLOWED unless the subject passes the action here. */
    static void require(AclSubject subject, RoomRules rules, RoomAction action, String room) {
        Verdict verdict = rules.check(subject, action);
        if (!verdict.passed()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, refusal(action, room, verdict.failed()));
        }
    }

    /** {@code not allowed to join room 'vip': needs age=18:} (docs/protocol.md, "Access control"). */
    static String refusal(RoomAction action, String room, String failed) {
        String verb = switch (action) {
            case JOIN -> "join";
            case MESSAGE -> "send to";
            case HISTORY -> "read the history of";
            case MEMBERS -> "list the members of";
            case LIST -> "list";
            case AUTOJOIN -> "autojoin";
            case CROSSROOM -> "send from another room to";
        };
        return "not allowed to " + verb + " room '" + room + "': needs " + failed;
    }

    /**
     * The id of the room named so in the channel (the default one when empty), for a join by name: NO_SUCH_CHANNEL
     * or NO_SUCH_ROOM when there is none (engine reads; names are the directory's, like everything else here).
     */
    String roomNamed(Optional<String> channel, String name) {
        String in = channel.orElse(Directory.DEFAULT_CHANNEL);
        Names.room(in);
        CompletableFuture<Optional<ChannelRecord>> exists = read(() -> directory.channel(in));
        CompletableFuture<Optional<String>> named = read(() -> directory.roomNamed(in, name));
        if (await(exists).isEmpty()) {
            throw new DinoException(ErrorCode.NO_SUCH_CHANNEL, "no such channel '" + in + "'");
        }
        return await(named).orElseThrow(() -> new DinoException(ErrorCode.NO_SUCH_ROOM,
                "no such room '" + name + "' in channel '" + in + "'"));
    }

    /** The rooms whose rules have a rule for the action, e.g. the autojoin rooms (an engine read). */
    Set<String> roomsWithRule(RoomAction action) {
        return store.roomsWithRule(action.id());
    }

    /** The room's rules as stored now (engine reads: see the class comment for how many round trips). */
    RoomRules current(String room) {
        RoomRules cached = cache.get(room);
        return load(room, cached == null ? Directory.DEFAULT_CHANNEL : cached.channel());
    }

    /**
     * The rules of a room this node holds: cached, read from the engine when not. Call only while a session
     * of this node is in the room (otherwise a change may not reach this node).
     */
    RoomRules held(String room) {
        return held(room, Directory.DEFAULT_CHANNEL);
    }

    /**
     * {@link #held(String)}, guessing that a room not cached is in {@code channel} (a room's channel never
     * changes: a join re-reading the rules it read before entering passes the channel they named).
     */
    RoomRules held(String room, String channel) {
        RoomRules rules = cache.get(room);
        if (rules != null) {
            return rules;
        }
        long before = invalidations.get();
        rules = load(room, channel);
        cache.put(room, rules);
        if (invalidations.get() != before) {
            cache.remove(room, rules);  // a change was applied meanwhile: what was read may be older than it
        }
        return rules;
    }

    /** The cached snapshot of a room, if any (no engine read). */
    Optional<RoomRules> cached(String room) {
        return Optional.ofNullable(cache.get(room));
    }

    /** The room's rules changed, or this node stopped (or starts) holding the room: forget what is cached. */
    void invalidate(String room) {
        invalidations.incrementAndGet();
        cache.remove(room);
    }

    /** Stores the room's rules (already validated) and forgets this node's cached copy. */
    void store(String room, RoomAcl acl) {
        store.set(room, acl.texts());
        invalidate(room);
    }

    Map<String, String> stored(String room) {
        return parse(room, store.get(room)).texts();
    }

    /**
     * Snapshots of registered rooms of one channel as a join from outside would read them, for lists (which rooms
     * may a user join): the channel's stored roles once, each room's rules and stored roles, all issued together on
     * {@code reads}. Not cached: this node may not hold the rooms, so no change would reach the cache.
     */
    List<RoomRules> rulesOf(ChannelRecord channel, List<RoomRecord> rooms) {
        CompletableFuture<Map<String, Set<String>>> channelRoles = read(() -> roles.holders(Roles.Scope.channel(channel.id())));
        List<CompletableFuture<Map<String, String>>> acls = rooms.stream()
                .map(room -> read(() -> store.get(room.id()))).toList();
        List<CompletableFuture<Map<String, Set<String>>>> roomRoles = rooms.stream()
                .map(room -> read(() -> roles.holders(Roles.Scope.room(room.id())))).toList();
        List<RoomRules> rules = new java.util.ArrayList<>(rooms.size());
        for (int i = 0; i < rooms.size(); i++) {
            RoomRecord room = rooms.get(i);
            try {
                rules.add(new RoomRules(room.id(), Optional.of(room), channel, parse(room.id(), await(acls.get(i))),
                        await(roomRoles.get(i)), await(channelRoles)));
            } catch (IllegalArgumentException e) {
                throw new DinoException(ErrorCode.INTERNAL, "the access rules of channel '" + channel.id()
                        + "' cannot be read: " + e.getMessage());
            }
        }
        return rules;
    }

    private RoomRules load(String room, String channelGuess) {
        CompletableFuture<Optional<RoomRecord>> record = read(() -> directory.room(room));
        CompletableFuture<Map<String, String>> acl = read(() -> store.get(room));
        CompletableFuture<Map<String, Set<String>>> roomRoles = read(() -> roles.holders(Roles.Scope.room(room)));
        CompletableFuture<Optional<ChannelRecord>> channel = read(() -> directory.channel(channelGuess));
        CompletableFuture<Map<String, Set<String>>> channelRoles = read(() -> roles.holders(Roles.Scope.channel(channelGuess)));
        long now = clock.millis();
        CompletableFuture<List<Sanction>> roomBans = sanctions(Sanctions.Kind.BAN, Sanctions.Target.room(room), now);
        CompletableFuture<List<Sanction>> mutes = sanctions(Sanctions.Kind.MUTE, Sanctions.Target.room(room), now);
        CompletableFuture<List<Sanction>> channelBans = sanctions(Sanctions.Kind.BAN, Sanctions.Target.channel(channelGuess), now);
        Optional<RoomRecord> found = await(record);
        String channelId = found.map(RoomRecord::channel).orElse(Directory.DEFAULT_CHANNEL);
        if (!channelId.equals(channelGuess)) {
            channel = read(() -> directory.channel(channelId));
            channelRoles = read(() -> roles.holders(Roles.Scope.channel(channelId)));
            channelBans = sanctions(Sanctions.Kind.BAN, Sanctions.Target.channel(channelId), now);
        }
        ChannelRecord channelRecord = await(channel)
                .orElseGet(() -> new ChannelRecord(channelId, channelId, 0, List.of(), Map.of()));  // removed meanwhile
        RoomAcl roomAcl = parse(room, await(acl));
        try {
            return new RoomRules(room, found, channelRecord, roomAcl, await(roomRoles), await(channelRoles))
                    .withSanctions(RoomSanctions.of(await(roomBans), await(channelBans), await(mutes)));
        } catch (IllegalArgumentException e) {
            throw new DinoException(ErrorCode.INTERNAL, "the access rules of channel '" + channelId + "' cannot be read: "
                    + e.getMessage());
        }
    }

    /**
     * Runs engine reads for several rooms together, as a snapshot's reads are (one round trip on Redis instead of
     * one per room); answers in the order given, or throws the first failure.
     */
    <T> List<T> all(List<Supplier<T>> perRoom) {
        List<CompletableFuture<T>> started = perRoom.stream().map(this::read).toList();
        return started.stream().map(RoomPolicy::await).toList();
    }

    /** The active sanctions of a kind in a target, read with the rest of a snapshot (none without a store). */
    private CompletableFuture<List<Sanction>> sanctions(Sanctions.Kind kind, Sanctions.Target target, long now) {
        Sanctions store = sanctions;
        return store == null ? CompletableFuture.completedFuture(List.of()) : read(() -> store.list(kind, target, now));
    }

    private <T> CompletableFuture<T> read(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, reads);
    }

    private static <T> T await(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    static RoomAcl parse(String room, Map<String, String> texts) {
        try {
            return RoomAcl.parse(texts);
        } catch (IllegalArgumentException e) {
            // stored rules were validated when set; rules this version cannot read refuse rather than open the room
            throw new DinoException(ErrorCode.INTERNAL, "the access rules of room '" + room + "' cannot be read: " + e.getMessage());
        }
    }
}
