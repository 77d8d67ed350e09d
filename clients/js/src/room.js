// A room as the application sees it: commands scoped to the room, and the room's events. The client does the
// work (it owns the connection and the sequencing); a Room is a handle plus its listeners.

import { Emitter } from './emitter.js';

export class Room {
  /**
   * @param {import('./client.js').DinoClient} client
   * @param {string} name
   */
  constructor(client, name) {
    this._client = client;
    this.name = name;
    this._events = new Emitter((error) => client._listenerFailed(error));
  }

  /**
   * Whether the client follows the room: joined (or joining), or autojoined by the server at connect, and
   * re-joined after every reconnect.
   */
  get joined() {
    return this._client._follows(this.name);
  }

  /** The position (epoch, offset) of the last message of this room delivered to the application, or null. */
  get position() {
    return this._client._position(this.name);
  }

  /**
   * Joins the room and follows it until leave(). With `since` (a position from an earlier visit) the messages
   * after it are delivered first (or a `recovery` event says they could not be).
   * @param {{since?: {epoch: string, offset: number}}} [options]
   */
  join(options = {}) {
    return this._client._join(this, options.since);
  }

  /** Leaves the room and stops following it; while disconnected it only stops following it. */
  leave() {
    return this._client._leave(this);
  }

  /**
   * Sends a message (any JSON value but null, blank strings, {} and []). Resolves once it is stored. With `via`
   * (a room the client is in) it sends from that room to this one without being in it, if this room's
   * `crossroom` rule allows it.
   * @param {unknown} body
   * @param {{via?: string}} [options]
   */
  send(body, options = {}) {
    const command = { cmd: 'send', room: this.name, body };
    if (options.via !== undefined) command.via = options.via;
    return this._client._request(command);
  }

  /**
   * Whispers in this room to some of its members (1-20 user ids, not this user): only they and this user's
   * sessions get it, as a 'private' event on the client whose message has `whisper` (this room) and
   * `recipients`. Everyone named must be in the room, or nothing is sent. Resolves with `{id, epoch, offset, ts}`
   * of the copy in this user's inbox.
   * @param {string[]} to
   * @param {unknown} body
   */
  whisper(to, body) {
    return this._client._request({ cmd: 'whisper', room: this.name, to, body });
  }

  /**
   * A page of the room's stored messages, oldest first.
   * @param {{before?: number, after?: number, limit?: number}} [page]
   */
  history(page = {}) {
    return this._client._request({ cmd: 'history', room: this.name, ...page });
  }

  /** The users in the room now, sorted. */
  async members() {
    const result = await this._client._request({ cmd: 'members', room: this.name });
    return result.members;
  }

  /**
   * @param {'message' | 'joined' | 'left' | 'removed' | 'kicked' | 'banned' | 'muted' | 'unmuted' | 'renamed' | 'deleted' | 'restored' | 'recovery' | 'error' | 'receipt'} event
   * @param {Function} listener
   * @returns {() => void}
   */
  on(event, listener) {
    return this._events.on(event, listener);
  }

  /** @param {string} event @param {Function} listener */
  off(event, listener) {
    this._events.off(event, listener);
  }

  /** @param {string} event @param {...unknown} args */
  _emit(event, ...args) {
    this._events.emit(event, ...args);
  }
}
