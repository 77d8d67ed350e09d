// Decides, per log, which messages reach the application and in what order: each (epoch, offset) once, in
// offset order, across live events and the messages a join or connect recovered (docs/protocol.md
// "Subscribe, then de-duplicate"). The same rules as the Java client's LogSequencer; both run the shared
// vectors in clients/test-vectors/recovery.json.
//
// Per log it keeps the last position handed to the application. A message in that position's epoch at or
// before it is a repeat and is dropped; a message in another epoch is accepted and starts the new epoch (the
// log was reset). While a join or connect is in flight (begin() to complete() or abort()) the log's live
// messages are held: the server subscribes before it reads what was missed, so live messages may overlap the
// recovered ones in either order, and only once the result is known can they be merged.
//
// Pure: no I/O, no clock. Logs are named by strings: 'inbox', or 'room:' + the room's name.

/** @typedef {{epoch: string, offset: number}} Position */
/** @typedef {{epoch?: unknown, offset?: unknown}} Positioned */
/**
 * @typedef {object} Recovery
 * @property {boolean} recovered
 * @property {Position} from the last position delivered before
 * @property {Position} to the log's position when the server answered
 * @property {object[]} messages the replayed messages that were new to the application, in order
 */

export const INBOX = 'inbox';

/** @param {string} room */
export function roomLog(room) {
  return 'room:' + room;
}

/**
 * The position of a message or result, or null when it has none.
 * @param {Positioned | null | undefined} node
 * @returns {Position | null}
 */
export function positionOf(node) {
  if (!node || typeof node.epoch !== 'string' || !Number.isInteger(node.offset) || /** @type {number} */ (node.offset) < 0) {
    return null;
  }
  return { epoch: node.epoch, offset: /** @type {number} */ (node.offset) };
}

export class LogSequencer {
  constructor() {
    /** @type {Map<string, {last: Position | null, buffer: object[] | null}>} */
    this._logs = new Map();
    this.duplicatesDropped = 0;
    this.gaps = 0;
  }

  /**
   * A live message of `log`. Returns true when it is to be delivered now; false when it was held (a join or
   * connect for its log is in flight), is a repeat, or belongs to a log that is not followed.
   * @param {string} log
   * @param {Positioned} msg
   */
  live(log, msg) {
    const state = this._logs.get(log);
    if (!state) return false;
    if (state.buffer) {
      state.buffer.push(msg);
      return false;
    }
    return this._accept(state, msg);
  }

  /**
   * Starts following `log` (if not yet followed) and holds its live messages until complete() or abort().
   * Call before sending the join or connect. Anything held before is discarded. `since` (a join with
   * `since` of a log not followed yet) is taken as the last position delivered.
   * @param {string} log
   * @param {Position} [since]
   */
  begin(log, since) {
    let state = this._logs.get(log);
    if (!state) {
      state = { last: since ? { epoch: since.epoch, offset: since.offset } : null, buffer: null };
      this._logs.set(log, state);
    }
    state.buffer = [];
  }

  /**
   * Applies a join result or a connect result's `inbox` object. With `recovered: true` the recovered
   * `messages` come first, then the held live ones, each once. Otherwise (no position was sent, or
   * `recovered: false`) delivery continues after the result's position: held messages at or before it are
   * dropped — after the `unacked` messages a connect without a position hands over, if any. A result without a
   * position only ends the holding.
   * @param {string} log
   * @param {Positioned & {recovered?: unknown, messages?: unknown, unacked?: unknown}} result
   * @returns {{recovery: Recovery | null, deliver: object[]}} the recovery report (only when a position was
   *   sent and the result has `recovered`) and the messages to deliver, in order
   */
  complete(log, result) {
    const state = this._logs.get(log);
    if (!state || !state.buffer) return { recovery: null, deliver: [] };
    const from = state.last;
    const top = positionOf(result);
    /** @type {object[]} */
    const deliver = [];
    if (!top) {
      this._flush(state, deliver);
      return { recovery: null, deliver };
    }
    const recovered = result.recovered === true;
    if (recovered && Array.isArray(result.messages)) {
      for (const msg of result.messages) {
        if (this._accept(state, msg)) deliver.push(msg);
      }
    } else if (result.recovered === undefined && Array.isArray(result.unacked)) {
      // a connect without an inbox position: what the user has not acknowledged, delivered as a recovery is
      for (const msg of result.unacked) {
        if (this._accept(state, msg)) deliver.push(msg);
      }
    }
    if (!recovered || !state.last) state.last = top;
    const replayed = deliver.slice();
    this._flush(state, deliver);
    const recovery = result.recovered === undefined || !from ? null : { recovered, from, to: top, messages: replayed };
    return { recovery, deliver };
  }

  /**
   * The join or connect failed: stops holding and drops what was held. A log that never had a result is no
   * longer followed.
   * @param {string} log
   */
  abort(log) {
    const state = this._logs.get(log);
    if (!state) return;
    if (!state.last) this._logs.delete(log);
    else state.buffer = null;
  }

  /** Stops following a log (the room was left). @param {string} log */
  forget(log) {
    this._logs.delete(log);
  }

  /**
   * The connection ended: every hold is dropped (the next connection recovers from the last delivered
   * positions), and logs whose first join or connect never completed are no longer followed.
   */
  connectionLost() {
    for (const [log, state] of this._logs) {
      if (!state.last) this._logs.delete(log);
      else state.buffer = null;
    }
  }

  /** @param {string} log */
  follows(log) {
    return this._logs.has(log);
  }

  /** @param {string} log @returns {Position | null} */
  position(log) {
    const last = this._logs.get(log)?.last;
    return last ? { epoch: last.epoch, offset: last.offset } : null;
  }

  /** @returns {Map<string, Position>} the last delivered position of every log that has one */
  positions() {
    const positions = new Map();
    for (const [log, state] of this._logs) {
      if (state.last) positions.set(log, { epoch: state.last.epoch, offset: state.last.offset });
    }
    return positions;
  }

  /** @param {{last: Position | null, buffer: object[] | null}} state @param {object[]} deliver */
  _flush(state, deliver) {
    const held = state.buffer ?? [];
    state.buffer = null;
    for (const msg of held) {
      if (this._accept(state, msg)) deliver.push(msg);
    }
  }

  /** @param {{last: Position | null, buffer: object[] | null}} state @param {Positioned} msg */
  _accept(state, msg) {
    const position = positionOf(msg);
    if (!position) return true; // nothing to order by: a server bug, but the message is still the application's
    const last = state.last;
    if (last && last.epoch === position.epoch && position.offset <= last.offset) {
      this.duplicatesDropped++;
      return false;
    }
    if (last && last.epoch === position.epoch && position.offset > last.offset + 1) this.gaps++;
    state.last = position;
    return true;
  }
}
