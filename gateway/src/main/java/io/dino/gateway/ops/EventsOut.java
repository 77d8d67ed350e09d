package io.dino.gateway.ops;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;

/**
 * The node's {@link DomainEvents}: hands each event to the engine's {@link EventLog} under the node's id and counts
 * it emitted, or dropped when the log refuses it (its queue is full). Never blocks, never throws.
 */
public final class EventsOut implements DomainEvents {

    private final String node;
    private final EventLog log;
    private final GatewayMetrics metrics;

    public EventsOut(String node, EventLog log, GatewayMetrics metrics) {
        this.node = node;
        this.log = log;
        this.metrics = metrics;
    }

    @Override
    public void emit(DomainEvent event) {
        boolean accepted;
        try {
            accepted = log.append(node, event);
        } catch (RuntimeException e) {
            accepted = false;  // the contract says it does not throw; an operation must not fail for an event either way
        }
        if (accepted) {
            metrics.eventEmitted();
        } else {
            metrics.eventsDropped("queue-full", 1);
        }
    }
}
