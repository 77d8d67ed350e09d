// One WebSocket to one node: opens it, sends commands with ids, matches replies to them (with a timeout
// each), and hands events to its owner. Knows nothing of sessions, rooms or reconnects.

import { ClosedError, DinoError, TimeoutError } from './errors.js';

const OPEN = 1;

export class Connection {
  /**
   * @param {any} WebSocketImpl a WebSocket constructor (the browser's, Node 22's, or the `ws` package's)
   * @param {string} url
   * @param {{onEvent: (frame: any) => void, onClose: (code: number, reason: string) => void,
   *          onStrayError: (error: DinoError) => void}} handlers
   */
  constructor(WebSocketImpl, url, handlers) {
    this.url = url;
    this._handlers = handlers;
    this._nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, timer: any}>} */
    this._pending = new Map();
    this._closed = false;
    /** when the last frame arrived (ms since the epoch); the client probes a connection that went quiet */
    this.lastReceived = Date.now();
    /** @type {string | null} the token the session on this connection holds (set by the client at connect and refresh) */
    this.token = null;
    this._socket = new WebSocketImpl(url);
    /** @type {Promise<void>} */
    this._opened = new Promise((resolve, reject) => {
      this._socket.onopen = () => resolve();
      this._socket.onerror = () => reject(new ClosedError(`could not open a WebSocket to ${url}`));
      this._socket.onclose = (/** @type {{code: number, reason: string}} */ event) => {
        reject(new ClosedError(`the WebSocket to ${url} closed before it opened (${event.code})`, event.code));
        this._ended(event.code, event.reason);
      };
    });
    this._opened.then(() => {
      this._socket.onerror = ignore;
    }, ignore);
    this._socket.onmessage = (/** @type {{data: unknown}} */ event) => this._received(event.data);
  }

  /** Resolves once the socket is open; rejects when it fails to open or not within `timeoutMs`. */
  open(timeoutMs) {
    return withTimeout(this._opened, timeoutMs, () => {
      this.close(4000, 'open timed out');
      return new TimeoutError(`could not open a WebSocket to ${this.url} within ${timeoutMs} ms`);
    });
  }

  /**
   * Sends a command; resolves with its `result`, rejects with a DinoError.
   * @param {Record<string, unknown>} command without `id`
   * @param {number} timeoutMs
   */
  request(command, timeoutMs) {
    if (this._closed || this._socket.readyState !== OPEN) {
      return Promise.reject(new ClosedError(`the connection to ${this.url} is closed`));
    }
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new TimeoutError(`no reply to ${command.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this._pending.set(id, { resolve, reject, timer });
      try {
        this._socket.send(JSON.stringify({ id, ...command }));
      } catch (error) {
        clearTimeout(timer);
        this._pending.delete(id);
        reject(new ClosedError(`could not send ${command.cmd}: ${error}`));
      }
    });
  }

  /**
   * Closes the socket (if not closed yet). Pending commands fail with ClosedError; `onClose` is not called
   * (the owner knows).
   */
  close(code = 1000, reason = '') {
    if (this._closed) return;
    try {
      this._socket.close(code, reason);
    } catch {
      this._socket.close();
    }
    this._ended(code, reason, false);
  }

  /** @param {unknown} data */
  _received(data) {
    if (this._closed) return;
    this.lastReceived = Date.now();
    let frame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return; // the server sends JSON only
    }
    if (frame === null || typeof frame !== 'object') return;
    if (!('id' in frame)) {
      this._handlers.onEvent(frame);
      return;
    }
    const pending = typeof frame.id === 'number' ? this._pending.get(frame.id) : undefined;
    if (!pending) {
      if (frame.error) this._handlers.onStrayError(DinoError.fromReply(frame.error));
      return; // a reply that came after its timeout
    }
    this._pending.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.error) pending.reject(DinoError.fromReply(frame.error));
    else pending.resolve(frame.result ?? {});
  }

  /** @param {number} code @param {string} reason @param {boolean} [tell] whether to call onClose */
  _ended(code, reason, tell = true) {
    if (this._closed) return;
    this._closed = true;
    // keep an error listener: `ws` throws an 'error' nobody listens to (e.g. after close() while connecting)
    this._socket.onmessage = null;
    this._socket.onclose = null;
    this._socket.onerror = ignore;
    this._socket.onopen = null;
    for (const pending of this._pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ClosedError(`the connection closed before the reply (${code}${reason ? ' ' + reason : ''})`, code));
    }
    this._pending.clear();
    if (tell) this._handlers.onClose(code, String(reason ?? ''));
  }
}

function ignore() {}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {() => Error} onTimeout
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, onTimeout) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}
