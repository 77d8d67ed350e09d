package io.dino.api.client;

import io.dino.api.v1.Event;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A running {@code Events/WatchEvents} call as a blocking iterator ({@link DinoBackendClient#watchEvents}).
 * {@link #hasNext()} waits for the next event; it answers false when the node ended the stream (it drains: resume
 * on another node after {@link #lastId()}), and throws the call's {@link StatusRuntimeException} when it failed.
 * {@link #close()} cancels the call (from any thread; {@code hasNext} then answers false, also for events already
 * buffered).
 * Not for several threads at once.
 */
public final class EventWatch implements Iterator<Event>, AutoCloseable {

    private final Context.CancellableContext context;
    private final Iterator<Event> events;
    private volatile boolean closed;
    private String lastId;

    EventWatch(Function<Context, Iterator<Event>> start, String after) {
        this.context = Context.current().withCancellation();
        this.lastId = after;
        Context previous = context.attach();
        try {
            this.events = start.apply(context);
        } finally {
            context.detach(previous);
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;  // events the client had buffered are dropped with the call
        }
        try {
            return events.hasNext();
        } catch (StatusRuntimeException e) {
            if (closed && e.getStatus().getCode() == Status.Code.CANCELLED) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the event stream ended");
        }
        Event event = events.next();
        lastId = event.getId();
        return event;
    }

    /** The id of the last event taken (the {@code after} the watch began with before the first): where to resume. */
    public String lastId() {
        return lastId;
    }

    @Override
    public void close() {
        closed = true;
        context.cancel(null);
    }
}
