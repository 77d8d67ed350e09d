// Reconnect delays: exponential backoff with full jitter above a floor, as docs/protocol.md "Reconnecting"
// describes and the Java client's Backoff does: before attempt n (0 = the first after a loss) a random delay
// in [min, min(max, min * 2^(n+1))].

/**
 * @param {number} attempt 0-based
 * @param {{minDelayMs: number, maxDelayMs: number}} limits
 * @param {() => number} [random] values in [0, 1)
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, { minDelayMs, maxDelayMs }, random = Math.random) {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt + 1, 52));
  const r = Math.min(Math.max(random(), 0), 1);
  return minDelayMs + r * (ceiling - minDelayMs);
}
