// Errors of the Dino SDK. Every failure a command can have is a DinoError: the server's errors carry the
// protocol's code and name (docs/protocol.md "Errors"); failures decided by the client itself have codes below
// 1000, which neither the protocol nor WebSocket close codes use.

/** Codes of the errors the client raises itself. */
export const ClientCodes = Object.freeze({
  TIMEOUT: 901,
  NOT_CONNECTED: 902,
  CLOSED: 903,
});

/** An error with the protocol's numeric `code` and symbolic `name` (e.g. 4031 NOT_IN_ROOM). */
export class DinoError extends Error {
  /**
   * @param {number} code
   * @param {string} name
   * @param {string} message
   * @param {Record<string, number | string>} [details]
   */
  constructor(code, name, message, details = {}) {
    super(message);
    /** @type {number} */
    this.code = code;
    /** @type {string} */
    this.name = name;
    /**
     * The error object's other fields: `until` (BANNED, MUTED: ms since the epoch, 0 = permanent), `retryAfterMs`
     * (MUTED, RATE_LIMITED), `reason` (BANNED, when the ban gave one).
     * @type {Record<string, number | string>}
     */
    this.details = details;
    /**
     * Milliseconds to wait before the same request may succeed, when the server says (RATE_LIMITED always does).
     * @type {number | undefined}
     */
    this.retryAfterMs = undefined;
    /**
     * When the state that refused the request ends, in milliseconds since the epoch (0: never), when the server says.
     * @type {number | undefined}
     */
    this.until = undefined;
  }

  /** Whether retrying later may succeed (docs/protocol.md: 50xx errors, RATE_LIMITED and SLOW_CONSUMER). */
  get temporary() {
    return Math.floor(this.code / 100) === 50 || this.code === 4050 || this.code === 4080;
  }

  toString() {
    return `DinoError ${this.code} ${this.name}: ${this.message}`;
  }

  /**
   * The error of a reply's `error` object.
   * @param {{code?: unknown, name?: unknown, message?: unknown}} error
   */
  static fromReply(error) {
    /** @type {Record<string, number | string>} */
    const details = {};
    for (const [field, value] of Object.entries(error ?? {})) {
      if (field !== 'code' && field !== 'name' && field !== 'message' && (typeof value === 'number' || typeof value === 'string')) {
        details[field] = value;
      }
    }
    const result = new DinoError(
      typeof error?.code === 'number' ? error.code : 5000,
      typeof error?.name === 'string' ? error.name : 'INTERNAL',
      typeof error?.message === 'string' ? error.message : 'malformed error reply',
      details,
    );
    if (Number.isSafeInteger(details.retryAfterMs)) result.retryAfterMs = /** @type {number} */ (details.retryAfterMs);
    if (Number.isSafeInteger(details.until)) result.until = /** @type {number} */ (details.until);
    return result;
  }
}

/** No reply within the client's `timeoutMs` (code 901). The command may still have taken effect. */
export class TimeoutError extends DinoError {
  /** @param {string} message */
  constructor(message) {
    super(ClientCodes.TIMEOUT, 'TIMEOUT', message);
  }
}

/**
 * The client is not connected and did not queue the command (code 902): it was not sent. `name` is
 * NOT_CONNECTED, or QUEUE_FULL when `queueWhileDisconnected` commands are queued already.
 */
export class NotConnectedError extends DinoError {
  /**
   * @param {string} message
   * @param {string} [name]
   */
  constructor(message, name = 'NOT_CONNECTED') {
    super(ClientCodes.NOT_CONNECTED, name, message);
  }
}

/**
 * The connection ended while the command waited for its reply, or the client was closed with the command
 * still queued (code 903). A `send` that failed this way may or may not have been stored.
 */
export class ClosedError extends DinoError {
  /**
   * @param {string} message
   * @param {number} [closeCode] the WebSocket close code, when a connection ended
   */
  constructor(message, closeCode) {
    super(ClientCodes.CLOSED, 'CLOSED', message);
    /** @type {number | undefined} */
    this.closeCode = closeCode;
  }
}
