package io.dino.gateway.engine;

import java.util.List;

/**
 * The answer to "what did I miss since this position?".
 *
 * @param recovered true when {@code missed} is exactly every publication after the given position;
 *                  false when that cannot be promised (another epoch, or the gap left the retention
 *                  window or exceeds the recovery limit): then {@code missed} is empty, never partial
 * @param missed    the missed publications in offset order
 * @param top       the log's position now
 */
public record Recovery(boolean recovered, List<Publication> missed, Position top) {

    public Recovery {
        missed = List.copyOf(missed);
    }

    public static Recovery notRecovered(Position top) {
        return new Recovery(false, List.of(), top);
    }
}
