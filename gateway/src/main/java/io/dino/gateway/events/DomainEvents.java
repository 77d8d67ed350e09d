package io.dino.gateway.events;

/**
 * Where domain events go out of the node (docs/events.md). {@link #emit} never blocks and never fails the
 * operation that emits: it hands the event over and returns, so it may sit on the send path.
 */
public interface DomainEvents {

    /** Drops every event: for nodes and tests that publish none. */
    DomainEvents NONE = event -> {
    };

    void emit(DomainEvent event);
}
