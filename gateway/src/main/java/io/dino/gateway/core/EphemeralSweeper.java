package io.dino.gateway.core;

import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.engine.PresenceStore;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Removes ephemeral rooms that have been empty for {@code dino.rooms.ephemeral-linger}. Leader-free: every node
 * sweeps on its own timer, reading the registered ephemeral rooms (one directory read) and their members (one
 * batched read) each period, and remembering when it first saw each room empty. A room seen with a member is
 * forgotten, so its linger starts again when it is next seen empty. The removal is {@link RoomAdmin#removeRoom}'s, the
 * one the {@code remove} command and the RemoveRoom RPC use (roles and rules cleared, late members told
 * {@code removed}); several nodes may remove the same room, and all but the first find it gone, which is fine.
 *
 * <p>A room created since this node's previous sweep counts as empty from its creation (nobody may ever join it);
 * any other room first seen empty counts from then, so a node that just started never removes a room sooner than
 * a linger after its own first look.
 */
public final class EphemeralSweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EphemeralSweeper.class.getName());
    private static final Duration SHORTEST_PERIOD = Duration.ofSeconds(1);
    private static final Duration LONGEST_PERIOD = Duration.ofSeconds(15);

    private final Directory directory;
    private final PresenceStore presence;
    private final RoomAdmin admin;
    private final Duration linger;
    private final long lingerMillis;
    private final InstantSource clock;
    /** One sweep at a time (a sweep outlasting the period makes the next one skip); guards the two fields below. */
    private final ReentrantLock sweeping = new ReentrantLock();
    /** Room id → when this node first saw it empty (ms), for the rooms seen empty since. */
    private final Map<String, Long> emptySince = new HashMap<>();
    /** When this node last swept (ms); at first, when the sweeper was made. */
    private long previousSweep;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean closed;

    public EphemeralSweeper(Directory directory, PresenceStore presence, RoomAdmin admin, Duration linger, InstantSource clock) {
        this.directory = directory;
        this.presence = presence;
        this.admin = admin;
        this.linger = linger;
        this.lingerMillis = linger.toMillis();
        this.clock = clock;
        this.previousSweep = clock.millis();
    }

    /** How often a node sweeps: a quarter of the linger, at least 1 s (the work is reads), at most 15 s. */
    public static Duration period(Duration linger) {
        Duration quarter = linger.dividedBy(4);
        return quarter.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD
                : quarter.compareTo(LONGEST_PERIOD) > 0 ? LONGEST_PERIOD : quarter;
    }

    /**
     * Sweeps every {@link #period} from now on: the {@code timer} thread only hands each sweep to {@code workers}
     * (a virtual thread each), since a sweep waits on the engine.
     */
    public void start(ScheduledExecutorService timers, Executor workers) {
        long every = period(linger).toMillis();
        timer = timers.scheduleAtFixedRate(() -> {
            if (!closed) {
                workers.execute(this::sweepLogged);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // the engine is unavailable (or closing with the node): the next period tries again
            LOG.log(closed ? Level.DEBUG : Level.WARNING, "sweeping empty ephemeral rooms failed: {0}", e.getMessage());
        }
    }

    /** One sweep (skipped when one is under way); answers the ids of the rooms this node removed. */
    public List<String> sweep() {
        if (!sweeping.tryLock()) {
            return List.of();
        }
        try {
            long now = clock.millis();
            List<String> due = due(now);
            previousSweep = now;
            if (due.isEmpty()) {
                return List.of();
            }
            // read again right before removing: narrows the window for a join landing in between, which then gets
            // removed (room removed) as any late member does
            Map<String, List<String>> members = call(() -> presence.membersOfRooms(due));
            List<String> removed = new ArrayList<>();
            for (String room : due) {
                if (closed) {
                    break;
                }
                if (members.getOrDefault(room, List.of()).isEmpty() && remove(room)) {
                    removed.add(room);
                }
                emptySince.remove(room);  // gone, or occupied after all; kept when the removal failed (next period)
            }
            return removed;
        } finally {
            sweeping.unlock();
        }
    }

    /** The rooms empty for at least the linger; updates {@link #emptySince} with what it read. */
    private List<String> due(long now) {
        List<RoomRecord> rooms = call(() -> directory.roomsOfKind(RoomKind.EPHEMERAL));
        if (rooms.isEmpty()) {
            emptySince.clear();
            return List.of();
        }
        Map<String, List<String>> members = call(() -> presence.membersOfRooms(rooms.stream().map(RoomRecord::id).toList()));
        Map<String, Long> stillEmpty = new HashMap<>();
        List<String> due = new ArrayList<>();
        for (RoomRecord room : rooms) {
            if (!members.getOrDefault(room.id(), List.of()).isEmpty()) {
                continue;  // forgotten: not carried over
            }
            long since = emptySince.getOrDefault(room.id(),
                    room.createdAt() > previousSweep ? Math.min(room.createdAt(), now) : now);
            stillEmpty.put(room.id(), since);
            if (now - since >= lingerMillis) {
                due.add(room.id());
            }
        }
        emptySince.clear();
        emptySince.putAll(stillEmpty);  // rooms gone from the directory are dropped too
        return due;
    }

    /** Removes the room; false when another node (or anyone) removed it first. */
    private boolean remove(String room) {
        try {
            admin.removeRoom(room, "", "empty");
            LOG.log(Level.INFO, "removed ephemeral room {0}: empty for {1} or more", room, linger);
            return true;
        } catch (DinoException e) {
            if (e.code() == ErrorCode.NO_SUCH_ROOM) {
                return false;
            }
            throw e;
        }
    }

    /** Stops sweeping; a sweep under way stops before its next removal. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> scheduled = timer;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
