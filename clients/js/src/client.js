// The session that outlives connections: connects to one of the nodes, and when the connection is lost
// reconnects with backoff, resumes the inbox and re-joins its rooms from their last positions, so that the
// application sees every room and inbox message once, in order, or is told a gap could not be filled
// (docs/protocol.md "Reconnecting", "Recovery"; the Java client's DinoSession does the same).

import { backoffDelay } from './backoff.js';
import { Connection } from './connection.js';
import { ClosedError, DinoError, NotConnectedError, TimeoutError } from './errors.js';
import { Emitter } from './emitter.js';
import { INBOX, LogSequencer, roomLog } from './sequencer.js';
import { Room } from './room.js';

const DEFAULT_RECONNECT = Object.freeze({ minDelayMs: 250, maxDelayMs: 10_000 });
const INVALID_TOKEN = 4011;
const TOKEN_REVOKED = 4014;
const UNSUPPORTED_PROTOCOL = 4007;
const BANNED = 4038;
const REPLACED = 4091;

/** @typedef {'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'closed'} State */

export class DinoClient {
  /**
   * @param {{url?: string, urls?: string[], getToken: () => string | Promise<string>, WebSocket?: any,
   *          timeoutMs?: number, reconnect?: {minDelayMs?: number, maxDelayMs?: number} | false,
   *          queueWhileDisconnected?: number, pingIntervalMs?: number,
   *          inboxSince?: {epoch: string, offset: number}, autoRefresh?: boolean}} options
   */
  constructor(options) {
    const urls = options?.urls ?? (options?.url ? [options.url] : []);
    if (!Array.isArray(urls) || urls.length === 0 || urls.some((u) => typeof u !== 'string')) {
      throw new TypeError('DinoClient needs `url` (a ws:// or wss:// URL) or `urls` (a non-empty array of them)');
    }
    if (typeof options.getToken !== 'function') {
      throw new TypeError('DinoClient needs `getToken`: a function returning (a promise of) a token');
    }
    const WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new TypeError('no global WebSocket (Node.js before 22?): pass one, e.g. new DinoClient({..., WebSocket}) with `import { WebSocket } from "ws"`');
    }
    const reconnect = options.reconnect === false ? null : { ...DEFAULT_RECONNECT, ...options.reconnect };
    if (reconnect && !(reconnect.minDelayMs >= 0 && reconnect.maxDelayMs >= reconnect.minDelayMs)) {
      throw new RangeError('reconnect needs 0 <= minDelayMs <= maxDelayMs');
    }
    this._urls = urls.slice();
    this._getToken = options.getToken;
    this._WebSocket = WebSocketImpl;
    this._timeoutMs = options.timeoutMs ?? 10_000;
    this._reconnect = reconnect;
    this._queueLimit = Math.max(0, options.queueWhileDisconnected ?? 0);
    this._pingIntervalMs = Math.max(0, options.pingIntervalMs ?? 25_000);
    const seed = options.inboxSince;
    this._inboxSeed = seed && typeof seed.epoch === 'string' && Number.isInteger(seed.offset) && seed.offset >= 0
      ? { epoch: seed.epoch, offset: seed.offset } : null;
    this._pingTimer = null;
    this._autoRefresh = options.autoRefresh !== false;

    this._events = new Emitter((error) => this._listenerFailed(error));
    this._sequencer = new LogSequencer();
    /** @type {Map<string, Room>} */
    this._rooms = new Map();
    /** @type {Map<string, Promise<any>>} first joins in flight, by room */
    this._joining = new Map();
    /** @type {Map<string, {failures: number, timer: any}>} rooms whose re-join failed with a temporary error */
    this._rejoinRetries = new Map();
    /** @type {Array<{run: (conn: Connection) => Promise<any>, resolve: (v: any) => void, reject: (e: Error) => void}>} */
    this._queue = [];
    /** @type {Array<{resolve: (v: any) => void, reject: (e: Error) => void}>} */
    this._connectWaiters = [];
    /** @type {State} */
    this._state = 'disconnected';
    /** @type {Connection | null} the connection being set up or in use */
    this._conn = null;
    this._generation = 0; // bumped by every attempt and by disconnect(): stale attempts notice it
    this._failedAttempts = 0;
    this._nextUrl = Math.floor(Math.random() * urls.length);
    this._retryTimer = null;
    this._everConnected = false;
    /** @type {string | null} */ this.user = null;
    /** @type {string | null} */ this.session = null;
    /** @type {string | null} */ this.node = null;
  }

  /** @returns {State} */
  get state() {
    return this._state;
  }

  /**
   * Connects (trying again with backoff unless `reconnect: false`). Resolves with `{user, session, node}` on
   * the first successful connect; rejects when the client gives up (e.g. INVALID_TOKEN) or disconnect() is
   * called first.
   */
  connect() {
    if (this._state === 'connected') {
      return Promise.resolve({ user: this.user, session: this.session, node: this.node });
    }
    const waiter = new Promise((resolve, reject) => this._connectWaiters.push({ resolve, reject }));
    if (this._state === 'disconnected' || this._state === 'closed') {
      this._failedAttempts = 0;
      this._setState(this._everConnected ? 'reconnecting' : 'connecting');
      this._attempt();
    }
    return waiter;
  }

  /**
   * Closes the connection and stops reconnecting. Rooms and positions are kept: connect() again resumes them.
   * Queued commands and a pending connect() fail with ClosedError.
   */
  disconnect() {
    if (this._state === 'disconnected') return;
    const wasConnected = this._state === 'connected';
    this._generation++;
    this._stopTimers();
    const conn = this._conn;
    this._conn = null;
    this._sequencer.connectionLost();
    this._setState('disconnected');
    conn?.close(1000, 'client disconnect');
    this._failAll(new ClosedError('disconnect() was called'));
    if (wasConnected) this._events.emit('disconnected', { code: 1000, reason: 'client disconnect', reconnect: false });
  }

  /** The room `name` (the same object for the same name). */
  room(name) {
    let room = this._rooms.get(name);
    if (!room) {
      room = new Room(this, name);
      this._rooms.set(name, room);
    }
    return room;
  }

  /** Sends a private message to `to`'s inbox. Resolves with `{id, epoch, offset, ts}` once stored. */
  sendPrivate(to, body) {
    return this._request({ cmd: 'private', to, body });
  }

  /** A page of the user's inbox, oldest first. @param {{before?: number, after?: number, limit?: number}} [page] */
  inboxHistory(page = {}) {
    return this._request({ cmd: 'history', inbox: true, ...page });
  }

  /**
   * Sets the user's status for all the user's sessions: 'online', 'away' or 'invisible' (operators only, unless
   * the server allows it for all). Resolves with `{status}`; every session of the user gets a `status` event.
   * @param {'online' | 'away' | 'invisible'} status
   */
  setStatus(status) {
    return this._request({ cmd: 'status', status });
  }

  /**
   * Status and last-online time of up to 100 users: resolves with `[{user, status, lastOnline}]` in the order
   * asked (invisible users are 'offline' unless you are an operator; `lastOnline` is ms or null).
   * @param {string[]} users
   */
  presence(users) {
    return this._request({ cmd: 'presence', users }).then((result) => result.users);
  }

  /**
   * The rooms this connection's session is in on the server now, sorted (`rooms` command). After a reconnect
   * that is the rooms re-joined so far; the rooms the client follows are the ones you `join()`ed.
   * @returns {Promise<string[]>}
   */
  rooms() {
    return this._request({ cmd: 'rooms' }).then((result) => result.rooms);
  }

  /**
   * The channels this user may see, by sort order then id (`channels` command): `[{id, name, sortOrder, tags}]`.
   * @returns {Promise<Array<{id: string, name: string, sortOrder: number, tags: string[]}>>}
   */
  channels() {
    return this._request({ cmd: 'channels' }).then((result) => result.channels);
  }

  /**
   * The registered rooms of a channel this user may see, by name (`browse` command):
   * `[{id, name, kind, topic, users}]` (`users`: how many are in it, as this user may see them).
   * @param {string} channel
   */
  browse(channel) {
    return this._request({ cmd: 'browse', channel }).then((result) => result.rooms);
  }

  /**
   * Creates a room and makes this user its owner (`create` command). Resolves with the room:
   * `{room, name, channel, kind, topic, capacity, membershipEvents, owners, members?}`; `room` is its id.
   * @param {{name: string, kind: 'ephemeral' | 'private' | 'static', channel?: string, topic?: string,
   *   members?: string[], capacity?: number}} options
   */
  createRoom(options) {
    return this._request({ cmd: 'create', ...options });
  }

  /**
   * Renames a room (its owners, its channel's owners and admins, operators); every session in it gets the
   * room's `renamed` event. Resolves with `{room, name}`.
   * @param {string} room the room's id
   * @param {string} name
   */
  renameRoom(room, name) {
    return this._request({ cmd: 'rename', room, name });
  }

  /**
   * Removes a room (who may: as for renameRoom); every session in it gets the room's `removed` event with
   * reason 'room removed'. Resolves with `{room}`.
   * @param {string} room the room's id
   */
  removeRoom(room) {
    return this._request({ cmd: 'remove', room });
  }

  /**
   * Kicks a user out of a room (operators, the room's owners and moderators, its channel's owners and admins; only
   * operators may kick operators): the user's sessions are taken out on every node, and they and the room's other
   * sessions get the room's `kicked` event. The user may join again. Resolves with `{room, user, sessions}`
   * (sessions taken out; 0 when the user was not in the room).
   * @param {string} room the room's id
   * @param {string} user
   * @param {string} [reason] at most 200 characters
   */
  kick(room, user, reason) {
    return this._request(reason === undefined ? { cmd: 'kick', room, user } : { cmd: 'kick', room, user, reason });
  }

  /**
   * Deletes messages of a room, softly (the `delete` command): one message (`{message: id}`, with its `offset` when
   * known: found with one read), every message of a user up to now (`{user}`), or every message of the room up to now
   * (`{all: true}`). The author may delete their message; the room's moderators (its owners and moderators, its
   * channel's owners and admins, operators) any. Deleted messages leave history and recovery for everyone until an
   * operator restores them; the room's sessions get its `deleted` event. Resolves with `{room, deleted, changed}`.
   * @param {string} room the room's id
   * @param {{message: string, offset?: number} | {user: string} | {all: true}} target
   */
  deleteMessages(room, target) {
    return this._request({ ...target, cmd: 'delete', room });
  }

  /**
   * Takes deletions back (the `restore` command; operators only), in the same three forms as deleteMessages; the
   * room's sessions get its `restored` event. Resolves with `{room, restored, changed}`.
   * @param {string} room the room's id
   * @param {{message: string, offset?: number} | {user: string} | {all: true}} target
   */
  restoreMessages(room, target) {
    return this._request({ ...target, cmd: 'restore', room });
  }

  /**
   * Bans a user from a room (`{room}`; who may: as for kick), every room of a channel (`{channel}`: its owners and
   * admins, operators) or everywhere (`{global: true}`: operators) for `duration` ('30s', '10m', '2h', '7d' or
   * 'permanent', the default). Resolves with `{user, scope, target, until, sessions}` (`until`: ms since the epoch,
   * 0 = permanent; `sessions` taken out or disconnected, on every node).
   * @param {string} user
   * @param {{room: string} | {channel: string} | {global: true}} scope
   * @param {{duration?: string, reason?: string}} [options]
   */
  ban(user, scope, options = {}) {
    return this._request({ cmd: 'ban', user, ...scope, ...options });
  }

  /**
   * Lifts a ban (same scope as the ban's). Resolves with `{user, scope, target, removed}`.
   * @param {string} user
   * @param {{room: string} | {channel: string} | {global: true}} scope
   */
  unban(user, scope) {
    return this._request({ cmd: 'unban', user, ...scope });
  }

  /**
   * The active bans of a room, a channel or the global ones, or of a user in every scope (`{user}`: operators).
   * Resolves with the list of `{user, scope, target, until, by, reason, at}`.
   * @param {{room: string} | {channel: string} | {global: true} | {user: string}} query
   */
  async bans(query) {
    return (await this._request({ cmd: 'bans', ...query })).bans;
  }

  /**
   * Mutes a user in a room (who may: as for kick): the user stays, but its sends there fail with MUTED. Resolves
   * with `{room, user, until}`.
   * @param {string} room
   * @param {string} user
   * @param {{duration?: string, reason?: string}} [options]
   */
  mute(room, user, options = {}) {
    return this._request({ cmd: 'mute', room, user, ...options });
  }

  /**
   * Lifts a mute. Resolves with `{room, user, removed}`.
   * @param {string} room
   * @param {string} user
   */
  unmute(room, user) {
    return this._request({ cmd: 'unmute', room, user });
  }

  /**
   * The room's active mutes: a list of `{room, user, until, by, reason, at}`.
   * @param {string} room
   */
  async mutes(room) {
    return (await this._request({ cmd: 'mutes', room })).mutes;
  }

  /**
   * Replaces the session's token in place (`refresh`): a token of the same user, valid and not revoked. Resolves
   * with `{expiresAt}` (ms since the epoch): the session now lives until then (and has the new token's roles and
   * attributes). Rejects with INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_REVOKED or NOT_ALLOWED (another user's token);
   * the session stays open either way. With `autoRefresh` (the default) the client does this by itself on
   * `expiring`, with a token from `getToken()`.
   * @param {string} token
   */
  refresh(token) {
    const conn = this._conn;
    return this._request({ cmd: 'refresh', token }).then((result) => {
      if (conn && conn === this._conn) conn.token = token;
      return result;
    });
  }

  /**
   * A room's access rules. Resolves with `{room, rules}`, `rules` mapping action to rule (canonical form).
   * @param {string} room the room's id
   */
  roomAcl(room) {
    return this._request({ cmd: 'acl', room });
  }

  /**
   * Replaces a room's access rules (its owners, its channel's owners and admins, operators); they apply at once.
   * Resolves with `{room, rules}` as stored.
   * @param {string} room the room's id
   * @param {Record<string, string>} rules action to rule; a blank rule or a missing action is open
   */
  setRoomAcl(room, rules) {
    return this._request({ cmd: 'setacl', room, rules });
  }

  /**
   * Marks a room (`{room}`: this session must be in it) or this user's inbox (`{inbox: true}`) as delivered or read up
   * to `offset` (read implies delivered; a lower offset than stored changes nothing). The senders of the newly
   * acknowledged private messages, or the room's members, get a 'receipt' event; a delivered receipt of the inbox
   * keeps those messages out of the next connect's 'unacked'. Resolves with the stored marker,
   * `{room | inbox, epoch, delivered, read}`.
   * @param {{room?: string, inbox?: true, kind: 'delivered' | 'read', offset: number, epoch?: string}} receipt
   */
  receipt(receipt) {
    return this._request({ cmd: 'receipt', ...receipt });
  }

  /**
   * Receipts of one message: of a room's (`{room, offset}`, members only) — resolves with `{room, offset, delivered,
   * deliveredCount, read, readCount}` (users) — or of a private message this user sent (`{to, offset}`: its
   * recipient and its offset in their inbox, as sendPrivate() resolved) — resolves with `{to, offset, delivered,
   * read}` (booleans).
   * @param {{room?: string, to?: string, offset: number, epoch?: string}} message
   */
  receipts(message) {
    return this._request({ cmd: 'receipts', ...message });
  }

  /**
   * Reports a message (`room` and `message`, its id) or a user (`user`; `room` then says where) to the operators:
   * posted to the admin room. Resolves with `{reported: true}`.
   * @param {{room?: string, message?: string, user?: string, reason?: string}} target reason: at most 500 characters
   */
  report({ room, message, user, reason } = {}) {
    /** @type {Record<string, unknown>} */
    const frame = { cmd: 'report' };
    if (room !== undefined) frame.room = room;
    if (message !== undefined) frame.message = message;
    if (user !== undefined) frame.user = user;
    if (reason !== undefined) frame.reason = reason;
    return this._request(frame);
  }

  /**
   * Asks for an operator in a room this client's session is in: posted to the admin room even when no operator is
   * there. Resolves with `{admins}`, how many operators are in the admin room now, on every node.
   * @param {string} room the room's id
   * @param {string} [reason] at most 500 characters
   */
  requestAdmin(room, reason) {
    return this._request(reason === undefined ? { cmd: 'requestAdmin', room } : { cmd: 'requestAdmin', room, reason });
  }

  /** Round trip to the node; resolves with `{ts}`, the server's clock. */
  ping() {
    return this._request({ cmd: 'ping' });
  }

  /** The position of the last inbox message delivered to the application, or null. */
  get inboxPosition() {
    return this._sequencer.position(INBOX);
  }

  /**
   * @param {string} event
   * @param {Function} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    return this._events.on(event, listener);
  }

  /** @param {string} event @param {Function} listener */
  off(event, listener) {
    this._events.off(event, listener);
  }

  // ---- commands ------------------------------------------------------------------------------------------

  /** @param {Record<string, unknown>} command */
  _request(command) {
    return this._whenConnected((conn) => conn.request(command, this._timeoutMs));
  }

  /**
   * Runs `run` on the connection now, or queues it while (re)connecting when queueWhileDisconnected allows.
   * @param {(conn: Connection) => Promise<any>} run
   * @returns {Promise<any>}
   */
  _whenConnected(run) {
    if (this._state === 'connected' && this._conn) return run(this._conn);
    if (this._state === 'connecting' || this._state === 'reconnecting') {
      if (this._queue.length < this._queueLimit) {
        return new Promise((resolve, reject) => this._queue.push({ run, resolve, reject }));
      }
      if (this._queueLimit > 0) {
        return Promise.reject(new NotConnectedError(
          `the client is ${this._state} and ${this._queueLimit} commands are queued already`, 'QUEUE_FULL'));
      }
    }
    return Promise.reject(new NotConnectedError(`the client is ${this._state}; nothing was sent`));
  }

  /** @param {Room} room @param {{epoch: string, offset: number} | undefined} since */
  _join(room, since) {
    return this._whenConnected((conn) => {
      const log = roomLog(room.name);
      const inFlight = this._joining.get(room.name);
      if (inFlight) return inFlight;
      if (this._sequencer.follows(log)) {
        return conn.request({ cmd: 'join', room: room.name }, this._timeoutMs).then(joinResult);
      }
      this._sequencer.begin(log, since);
      const command = since ? { cmd: 'join', room: room.name, since } : { cmd: 'join', room: room.name };
      const done = conn.request(command, this._timeoutMs).then(
        (result) => {
          if (conn !== this._conn) throw new ClosedError('the connection closed before the join was applied');
          this._deliver(room.name, this._sequencer.complete(log, result));
          return joinResult(result);
        },
        (error) => {
          if (conn === this._conn) this._sequencer.abort(log);
          throw error;
        },
      ).finally(() => {
        if (this._joining.get(room.name) === done) this._joining.delete(room.name);
      });
      this._joining.set(room.name, done);
      return done;
    });
  }

  /** @param {Room} room */
  _leave(room) {
    const log = roomLog(room.name);
    const retry = this._rejoinRetries.get(room.name);
    if (retry) clearTimeout(retry.timer);
    this._rejoinRetries.delete(room.name);
    this._sequencer.forget(log);
    if (this._state !== 'connected' || !this._conn) return Promise.resolve({ room: room.name });
    return this._conn.request({ cmd: 'leave', room: room.name }, this._timeoutMs);
  }

  /** @param {string} name */
  _follows(name) {
    return this._sequencer.follows(roomLog(name));
  }

  /** @param {string} name */
  _position(name) {
    return this._sequencer.position(roomLog(name));
  }

  // ---- connecting ----------------------------------------------------------------------------------------

  async _attempt() {
    this._retryTimer = null;
    const generation = ++this._generation;
    const url = this._urls[this._nextUrl++ % this._urls.length];
    let token;
    try {
      token = await this._getToken();
      if (typeof token !== 'string' || token === '') throw new TypeError('getToken() must return a non-empty string');
    } catch (error) {
      if (generation !== this._generation) return;
      this._attemptFailed(error, false);
      return;
    }
    if (generation !== this._generation) return;
    let conn;
    try {
      conn = new Connection(this._WebSocket, url, {
        onEvent: (frame) => this._received(conn, frame),
        onClose: (code, reason) => this._closed(conn, code, reason),
        onStrayError: (error) => this._events.emit('error', error),
      });
    } catch (error) {
      this._attemptFailed(error, true); // the WebSocket refused the URL: trying again cannot help
      return;
    }
    this._conn = conn;
    // the inbox position: the last one delivered, else the one an earlier client saved (options.inboxSince)
    if (!this._sequencer.follows(INBOX) && this._inboxSeed) this._sequencer.begin(INBOX, this._inboxSeed);
    const inboxSince = this._sequencer.position(INBOX);
    this._sequencer.begin(INBOX); // private events may come before the connect reply
    try {
      await conn.open(this._timeoutMs);
      const command = { cmd: 'connect', protocol: 1, token };
      if (inboxSince) command.inbox = inboxSince;
      const result = await conn.request(command, this._timeoutMs);
      if (conn !== this._conn) return;
      conn.token = token;
      this.user = result.user;
      this.session = result.session;
      this.node = result.node;
      // a connect without an inbox position: the private messages the user has not acknowledged (a receipt), if
      // any; the sequencer delivers them as 'private' events too, as it does a recovery's
      if (Array.isArray(result.inbox?.unacked)) {
        this._events.emit('unacked', { messages: result.inbox.unacked, more: result.inbox.more === true });
      }
      this._deliver(null, this._sequencer.complete(INBOX, result.inbox ?? {}));
      this._followAutojoined(result.autojoined);
      await this._rejoinAll(conn);
      if (conn !== this._conn) return;
      this._established();
    } catch (error) {
      if (conn !== this._conn) return;
      this._lost(conn, error, refusedForGood(error), null);
    }
  }

  /**
   * The server joined the session to its autojoin rooms (`autojoined` in the connect result): the client follows
   * those it did not follow yet from the position given, like rooms join()ed, so they are re-joined after a
   * reconnect. The re-join that follows right away recovers what arrived between the autojoin and this result.
   * @param {unknown} autojoined
   */
  _followAutojoined(autojoined) {
    if (!Array.isArray(autojoined)) return;
    for (const entry of autojoined) {
      if (typeof entry?.room !== 'string') continue;
      const log = roomLog(entry.room);
      if (this._sequencer.follows(log)) continue;
      this.room(entry.room);
      this._sequencer.begin(log);
      this._sequencer.complete(log, { epoch: entry.epoch, offset: entry.offset });
    }
  }

  /** Re-joins every followed room from its position; resolves once each has had its first answer. */
  _rejoinAll(conn) {
    const rejoins = [];
    for (const [log, since] of this._sequencer.positions()) {
      if (log === INBOX) continue;
      const name = log.slice('room:'.length);
      this._sequencer.begin(log);
      rejoins.push(this._rejoin(conn, name, since));
    }
    return Promise.all(rejoins);
  }

  /**
   * One re-join. A reply affects only its room: a temporary error (50xx, RATE_LIMITED) retries after a backoff
   * delay, at least the error's retryAfterMs, from the same position (the room's live messages stay held), any
   * other error stops following the room. No reply (timeout, closed) rejects: the connection is broken.
   */
  async _rejoin(conn, name, since) {
    const log = roomLog(name);
    let result;
    try {
      result = await conn.request({ cmd: 'join', room: name, since }, this._timeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError || error instanceof ClosedError || !(error instanceof DinoError)) throw error;
      if (conn !== this._conn || !this._sequencer.follows(log)) return;
      const room = this.room(name);
      const retrying = error.temporary;
      if (retrying) {
        const entry = this._rejoinRetries.get(name) ?? { failures: 0, timer: null };
        // no sooner than the server said (RATE_LIMITED: a reconnect re-joins many rooms at once)
        const delay = Math.max(backoffDelay(entry.failures++, this._reconnect ?? DEFAULT_RECONNECT), error.retryAfterMs ?? 0);
        entry.timer = setTimeout(() => this._retryRejoin(conn, name), delay);
        this._rejoinRetries.set(name, entry);
      } else {
        this._rejoinRetries.delete(name);
        this._sequencer.forget(log);
      }
      room._emit('error', error, { retrying });
      this._events.emit('error', error);
      return;
    }
    if (conn !== this._conn || !this._sequencer.follows(log)) return;
    this._rejoinRetries.delete(name);
    this._deliver(name, this._sequencer.complete(log, result));
  }

  _retryRejoin(conn, name) {
    const log = roomLog(name);
    if (conn !== this._conn || !this._rejoinRetries.has(name) || !this._sequencer.follows(log)) return;
    const since = this._sequencer.position(log);
    this._sequencer.begin(log);
    this._rejoin(conn, name, since).catch((error) => {
      if (conn === this._conn) this._lost(conn, error, false, null);
    });
  }

  /**
   * Liveness: a connection that received nothing for pingIntervalMs is asked for a `ping`; no reply within
   * timeoutMs means the peer or the path is gone (the server's own WebSocket pings are invisible to browser
   * code, and a dead TCP path may not close the socket for minutes), so the client reconnects.
   */
  _schedulePing(conn) {
    if (!this._pingIntervalMs) return;
    const due = conn.lastReceived + this._pingIntervalMs - Date.now();
    this._pingTimer = setTimeout(() => {
      this._pingTimer = null;
      if (conn !== this._conn) return;
      if (Date.now() - conn.lastReceived < this._pingIntervalMs) {
        this._schedulePing(conn);
        return;
      }
      conn.request({ cmd: 'ping' }, this._timeoutMs).then(
        () => { if (conn === this._conn) this._schedulePing(conn); },
        (error) => {
          if (conn !== this._conn || !(error instanceof TimeoutError)) return; // a closed socket reports itself
          this._lost(conn, error, false, { code: error.code, reason: `no reply to a ping within ${this._timeoutMs} ms` });
        },
      );
    }, Math.max(0, due));
  }

  _established() {
    const reconnected = this._everConnected;
    this._everConnected = true;
    this._failedAttempts = 0;
    this._setState('connected');
    this._schedulePing(this._conn);
    this._events.emit('connected', { user: this.user, session: this.session, node: this.node, reconnected });
    const info = { user: this.user, session: this.session, node: this.node };
    for (const waiter of this._connectWaiters.splice(0)) waiter.resolve(info);
    for (const entry of this._queue.splice(0)) {
      if (this._state !== 'connected' || !this._conn) {
        entry.reject(new NotConnectedError('the connection was lost again before the queued command was sent'));
      } else {
        entry.run(this._conn).then(entry.resolve, entry.reject);
      }
    }
  }

  /** An attempt that failed before it had a connection (getToken() failed, the URL was refused). */
  _attemptFailed(error, giveUp) {
    const reason = { code: 0, reason: String(error?.message ?? error) };
    const reconnect = !giveUp && this._reconnect !== null;
    this._events.emit('error', error);
    if (!reconnect) this._events.emit('disconnected', { ...reason, reconnect });
    this._scheduleOrGiveUp(!reconnect, error, reason);
  }

  /**
   * The current connection ended or its setup failed.
   * @param {Connection} conn
   * @param {unknown} cause
   * @param {boolean} giveUp
   * @param {{code: number, reason: string} | null} info
   */
  _lost(conn, cause, giveUp, info) {
    if (conn !== this._conn) return;
    const wasConnected = this._state === 'connected';
    this._conn = null;
    this._generation++;
    this._sequencer.connectionLost();
    this._stopTimers();
    this._joining.clear();
    conn.close(1000, '');
    const reason = info ?? {
      code: cause instanceof DinoError ? (cause instanceof ClosedError && cause.closeCode) || cause.code : 0,
      reason: String(/** @type {any} */ (cause)?.message ?? cause),
    };
    const reconnect = !giveUp && this._reconnect !== null;
    if (!wasConnected) this._events.emit('error', cause);
    if (wasConnected || !reconnect) this._events.emit('disconnected', { ...reason, reconnect });
    this._scheduleOrGiveUp(!reconnect, cause, reason);
  }

  _scheduleOrGiveUp(giveUp, cause, reason) {
    if (giveUp) {
      this._setState('closed');
      this._failAll(cause instanceof DinoError ? cause : new ClosedError(reason.reason));
      return;
    }
    this._setState(this._everConnected ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this._failedAttempts++, this._reconnect ?? DEFAULT_RECONNECT);
    this._retryTimer = setTimeout(() => this._attempt(), delay);
  }

  // ---- receiving -----------------------------------------------------------------------------------------

  _received(conn, frame) {
    if (conn !== this._conn) return;
    const msg = frame.msg;
    switch (frame.event) {
      case 'message': {
        const name = msg?.room;
        if (typeof name === 'string' && this._sequencer.live(roomLog(name), msg)) this._deliverMessage(name, msg);
        break;
      }
      case 'private':
        if (this._sequencer.live(INBOX, msg)) this._events.emit('private', msg);
        break;
      case 'broadcast':
        this._events.emit('broadcast', msg);
        break;
      case 'joined':
      case 'left':
        this._rooms.get(frame.room)?._emit(frame.event, { room: frame.room, user: frame.user });
        break;
      case 'renamed':
        this._rooms.get(frame.room)?._emit('renamed', { room: frame.room, name: frame.name });
        break;
      case 'removed': {
        // the server took this session out of the room (its access rules changed, or the room was removed): a
        // re-join would be refused or join another room, so the room is no longer followed (not re-joined)
        this._stopFollowing(frame.room);
        this._rooms.get(frame.room)?._emit('removed', { room: frame.room, reason: frame.reason ?? '' });
        break;
      }
      case 'kicked': {
        // this user kicked: the server takes this session out of the room, and a re-join would undo the kick
        if (frame.user === this.user) this._stopFollowing(frame.room);
        this._rooms.get(frame.room)?._emit('kicked',
          { room: frame.room, user: frame.user, by: frame.by ?? '', reason: frame.reason ?? '' });
        break;
      }
      case 'deleted':
      case 'restored':
        this._rooms.get(frame.room)?._emit(frame.event, deletion(frame));
        break;
      case 'status':
        this._events.emit('status', { user: frame.user, status: frame.status });
        break;
      case 'receipt': {
        const receipt = frame.room !== undefined
          ? { room: frame.room, user: frame.user, kind: frame.kind, epoch: frame.epoch, offset: frame.offset }
          : { to: frame.to, user: frame.user, kind: frame.kind, epoch: frame.epoch, offset: frame.offset, ids: frame.ids ?? [] };
        if (frame.room !== undefined) this._rooms.get(frame.room)?._emit('receipt', receipt);
        this._events.emit('receipt', receipt);
        break;
      }
      case 'banned': {
        // this user banned: the server takes this session out of the room, and a re-join would be refused
        if (frame.user === this.user) this._stopFollowing(frame.room);
        this._rooms.get(frame.room)?._emit('banned', { room: frame.room, user: frame.user, by: frame.by ?? '',
          reason: frame.reason ?? '', until: frame.until ?? 0, scope: frame.scope ?? 'room' });
        break;
      }
      case 'muted':
      case 'unmuted': {
        const event = { room: frame.room, user: frame.user, by: frame.by ?? '' };
        if (frame.event === 'muted') Object.assign(event, { reason: frame.reason ?? '', until: frame.until ?? 0 });
        this._rooms.get(frame.room)?._emit(frame.event, event);
        break;
      }
      case 'unbanned':
        this._events.emit('unbanned', { user: frame.user, scope: frame.scope, target: frame.target ?? '' });
      case 'expiring':
        this._events.emit('expiring', { expiresAt: frame.expiresAt, in: frame.in });
        if (this._autoRefresh) this._refreshFromGetToken(conn);
        break;
      case 'disconnect': {
        const reconnect = reconnectsAfter(frame);
        const cause = new DinoError(frame.code ?? 4090, frame.name ?? 'DISCONNECTED', frame.reason ?? '',
          typeof frame.until === 'number' ? { until: frame.until } : {});
        this._lost(conn, cause, !reconnect, { code: cause.code, reason: cause.message });
        break;
      }
      default:
        break; // events of later protocol versions
    }
  }

  /**
   * The token expires soon: a fresh one from getToken() replaces it in place. A failure is reported as 'error'; the
   * server then ends the connection at expiry (TOKEN_EXPIRED) and the client reconnects with getToken()'s next token.
   */
  async _refreshFromGetToken(conn) {
    try {
      const token = await this._getToken();
      if (conn !== this._conn) return;
      if (typeof token !== 'string' || token === '') throw new TypeError('getToken() must return a non-empty string');
      // the token this connection holds already (a cache that has not renewed it yet): nothing to refresh
      if (token === conn.token) return;
      const { expiresAt } = await this.refresh(token);
      this._events.emit('refreshed', { expiresAt });
    } catch (error) {
      if (conn === this._conn) this._events.emit('error', error);
    }
  }

  /** The room is no longer followed: not re-joined after a reconnect, no retry of a failed re-join. */
  _stopFollowing(room) {
    const retry = this._rejoinRetries.get(room);
    if (retry) clearTimeout(retry.timer);
    this._rejoinRetries.delete(room);
    this._sequencer.forget(roomLog(room));
  }

  _closed(conn, code, reason) {
    if (conn !== this._conn) return;
    const refused = code === INVALID_TOKEN || code === UNSUPPORTED_PROTOCOL || code === BANNED || code === TOKEN_REVOKED;
    const cause = new ClosedError(`the connection closed (${code}${reason ? ' ' + reason : ''})`, code);
    this._lost(conn, cause, refused, { code, reason });
  }

  /**
   * Reports a recovery, then hands over the messages to deliver.
   * @param {string | null} room null for the inbox
   * @param {{recovery: any, deliver: any[]}} completion
   */
  _deliver(room, { recovery, deliver }) {
    if (room === null) {
      if (recovery) this._events.emit('inbox', { recovered: recovery.recovered, messages: recovery.messages, from: recovery.from, to: recovery.to });
      for (const msg of deliver) this._events.emit('private', msg);
      return;
    }
    if (recovery) {
      this.room(room)._emit('recovery', { recovered: recovery.recovered, missed: recovery.messages, from: recovery.from, to: recovery.to });
    }
    for (const msg of deliver) this._deliverMessage(room, msg);
  }

  _deliverMessage(room, msg) {
    this.room(room)._emit('message', msg);
    this._events.emit('message', msg);
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** @param {State} state */
  _setState(state) {
    const previous = this._state;
    if (previous === state) return;
    this._state = state;
    this._events.emit('state', state, previous);
  }

  _stopTimers() {
    if (this._retryTimer) clearTimeout(this._retryTimer);
    this._retryTimer = null;
    if (this._pingTimer) clearTimeout(this._pingTimer);
    this._pingTimer = null;
    for (const entry of this._rejoinRetries.values()) clearTimeout(entry.timer);
    this._rejoinRetries.clear();
  }

  /** @param {Error} error */
  _failAll(error) {
    for (const entry of this._queue.splice(0)) entry.reject(error);
    for (const waiter of this._connectWaiters.splice(0)) waiter.reject(error);
    this._joining.clear();
  }

  _listenerFailed(error) {
    // a listener's bug must not break the client; report it without recursing through a failing 'error' listener
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * Whether a `disconnect` event leaves the client reconnecting: when the server says so, and after the auth
 * timeout (4010 NOT_AUTHENTICATED), which this client only gets when the node was too slow to read the
 * `connect` it sends as soon as the socket opens — a busy node, not a refusal (docs/protocol.md, "Reconnecting").
 * @param {{reconnect?: boolean, code?: number}} frame
 */
export function reconnectsAfter(frame) {
  if (frame.code === REPLACED) return false; // a newer session took over: coming back would push it out in turn
  return frame.reconnect === true || frame.code === 4010;
}

/** Errors after which reconnecting cannot help (docs/protocol.md "Reconnecting"). */
function refusedForGood(error) {
  return error instanceof DinoError && !(error instanceof ClosedError)
    && (error.code === INVALID_TOKEN || error.code === UNSUPPORTED_PROTOCOL || error.code === BANNED || error.code === TOKEN_REVOKED);
}

function joinResult(result) {
  const { messages, ...rest } = result;
  return rest;
}

/** A `deleted` / `restored` event as the room emits it: room, by, and one of ids, user, all (with the position a deletion of a user's or all messages goes up to). */
function deletion(frame) {
  const event = { room: frame.room, by: frame.by ?? '' };
  if (frame.all) event.all = true;
  else if (frame.user !== undefined) event.user = frame.user;
  else event.ids = frame.ids ?? [];
  if (frame.epoch !== undefined) {
    event.epoch = frame.epoch;
    event.offset = frame.offset;
  }
  return event;
}
