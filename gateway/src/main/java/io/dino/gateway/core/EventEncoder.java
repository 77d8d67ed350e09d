package io.dino.gateway.core;

/**
 * Turns an event into the frame the edge writes. The hub encodes each event once and hands the same
 * frame to every recipient, so fan-out costs one encoding, not one per session.
 */
@FunctionalInterface
public interface EventEncoder {
    String encode(Event event);
}
