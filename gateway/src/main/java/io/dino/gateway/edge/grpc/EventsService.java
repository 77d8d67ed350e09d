package io.dino.gateway.edge.grpc;

import io.dino.api.v1.Event;
import io.dino.api.v1.EventsGrpc;
import io.dino.api.v1.WatchEventsRequest;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.EventType;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code dino.v1.Events} service: {@code WatchEvents} streams the engine's {@link EventLog}, filtered, from a
 * position (docs/events.md). Each watcher has a virtual thread and a reader of its own (on Redis: a connection of
 * its own for {@code XREAD BLOCK}); it reads a page only when gRPC says the stream is ready for more, so a slow
 * watcher lags behind in the log instead of filling the node's memory (one page and gRPC's window at most), and
 * holds nobody else up. Watchers end OK when the client cancels (within a read wait) or the node drains
 * ({@link #stop}); at most {@code dino.events.max-watchers} at once.
 */
public final class EventsService extends EventsGrpc.EventsImplBase {

    private static final Logger LOG = System.getLogger(EventsService.class.getName());
    /** Entries one read asks for. */
    static final int PAGE = 100;
    /** How long one read waits for new entries: also how soon a watcher notices a cancel or the drain. */
    private static final Duration READ_WAIT = Duration.ofMillis(500);
    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(EventType.values())
            .collect(Collectors.toMap(EventType::wireName, Function.identity()));

    private final EventLog log;
    private final int maxWatchers;
    private final GatewayMetrics metrics;
    private final AtomicInteger watchers = new AtomicInteger();
    private volatile boolean stopping;

    public EventsService(EventLog log, int maxWatchers, GatewayMetrics metrics) {
        this.log = log;
        this.maxWatchers = maxWatchers;
        this.metrics = metrics;
        metrics.eventWatchers(watchers::get);
    }

    /** The node drains: every watcher ends (OK) after its current read; new ones are refused by the call tracker. */
    public void stop() {
        stopping = true;
    }

    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<Event> response) {
        ServerCallStreamObserver<Event> out = (ServerCallStreamObserver<Event>) response;
        Set<EventType> types;
        try {
            types = types(request);
        } catch (DinoException e) {
            metrics.error(e.code());
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        Set<String> rooms = Set.copyOf(request.getRoomsList());
        if (watchers.incrementAndGet() > maxWatchers) {
            watchers.decrementAndGet();
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription("this node serves " + maxWatchers
                    + " event watchers already (dino.events.max-watchers)").asRuntimeException());
            return;
        }
        Watcher watcher = new Watcher(out, types, rooms, request.getAfter());
        out.setOnReadyHandler(watcher::wake);
        out.setOnCancelHandler(watcher::cancel);
        Thread.ofVirtual().name("dino-events-watcher").start(watcher::run);
    }

    private static Set<EventType> types(WatchEventsRequest request) {
        if (request.getTypesCount() == 0) {
            return EnumSet.allOf(EventType.class);
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : request.getTypesList()) {
            EventType type = BY_WIRE_NAME.get(name);
            if (type == null) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "unknown event type '" + name + "' (known: "
                        + String.join(", ", BY_WIRE_NAME.keySet().stream().sorted().toList()) + ")");
            }
            types.add(type);
        }
        return types;
    }

    /** One WatchEvents call: its own thread reads and sends; gRPC's threads only wake it. */
    private final class Watcher {
        private final ServerCallStreamObserver<Event> out;
        private final Set<EventType> types;
        private final Set<String> rooms;
        private final String after;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ready = lock.newCondition();
        private volatile boolean cancelled;

        Watcher(ServerCallStreamObserver<Event> out, Set<EventType> types, Set<String> rooms, String after) {
            this.out = out;
            this.types = types;
            this.rooms = rooms;
            this.after = after;
        }

        void wake() {
            lock.lock();
            try {
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void cancel() {
            cancelled = true;
            wake();
        }

        void run() {
            try (EventLog.Reader reader = log.reader()) {
                String position = after.isEmpty() ? log.last() : after;
                while (!cancelled && !stopping) {
                    if (!awaitReady()) {
                        continue;
                    }
                    EventLog.Page page = reader.read(position, PAGE, READ_WAIT);
                    for (EventLog.Entry entry : page.entries()) {
                        if (cancelled) {
                            return;
                        }
                        if (wanted(entry)) {
                            out.onNext(event(entry));
                        }
                    }
                    position = page.next();
                }
                if (!cancelled) {
                    out.onCompleted();
                }
            } catch (IllegalArgumentException e) {
                fail(new DinoException(ErrorCode.INVALID_VALUE, e.getMessage()));
            } catch (EngineUnavailableException e) {
                fail(new DinoException(ErrorCode.UNAVAILABLE, "the events log cannot be read: " + e.getMessage()));
            } catch (InterruptedException e) {
                fail(new DinoException(ErrorCode.UNAVAILABLE, "interrupted"));
            } catch (RuntimeException e) {
                if (!cancelled) {
                    LOG.log(Level.ERROR, "WatchEvents failed", e);
                    fail(new DinoException(ErrorCode.INTERNAL, "internal error"));
                }
            } finally {
                watchers.decrementAndGet();
            }
        }

        /** Waits (a read wait at most) until gRPC takes more; false when it did not in time. */
        private boolean awaitReady() {
            lock.lock();
            try {
                if (out.isReady()) {
                    return true;
                }
                ready.await(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return out.isReady();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
                return false;
            } finally {
                lock.unlock();
            }
        }

        private boolean wanted(EventLog.Entry entry) {
            return types.contains(entry.event().type()) && (rooms.isEmpty() || rooms.contains(entry.event().room()));
        }

        private void fail(DinoException error) {
            if (cancelled) {
                return;
            }
            metrics.error(error.code());
            try {
                out.onError(GrpcErrors.toStatus(error));
            } catch (RuntimeException ignored) {
                // the call ended meanwhile
            }
        }
    }

    static Event event(EventLog.Entry entry) {
        return Event.newBuilder()
                .setId(entry.id())
                .setType(io.dino.api.v1.EventType.valueOf(entry.event().type().name()))
                .setTimeMs(entry.event().timeMs())
                .setNode(entry.node())
                .setRoom(entry.event().room())
                .setUser(entry.event().user())
                .setBy(entry.event().by())
                .putAllData(entry.event().data())
                .build();
    }
}
