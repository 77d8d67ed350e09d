// Hand-kept declarations of @dino/client's public API (the implementation is plain JavaScript in src/*.js).
// `npm run check` type-checks them, the JSDoc of the sources, and test-d/usage.ts against each other.

/** A place in a log: the log's incarnation (`epoch`) and a message's number in it (`offset`, from 1). */
export interface Position {
  epoch: string;
  offset: number;
}

/** A stored message as the server sends it (docs/protocol.md "Message object"). */
export interface Message<Body = unknown> {
  id: string;
  /** the room, for room messages */
  room?: string;
  /** the recipient, for private messages: the user whose inbox holds the message */
  to?: string;
  /** a whisper's room (only on whispers, which arrive as 'private' events) */
  whisper?: string;
  /** everyone a whisper went to (only on whispers) */
  recipients?: string[];
  from: string;
  /** accept time, ms since the Unix epoch */
  ts: number;
  epoch: string;
  offset: number;
  body: Body;
}

/** A backend's broadcast: not stored, no position. */
export interface BroadcastMessage<Body = unknown> {
  id: string;
  from: string;
  ts: number;
  body: Body;
}

export type ClientState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface DinoClientOptions {
  /** ws:// or wss:// URL of a node (or of a load balancer), e.g. `ws://127.0.0.1:8080/ws` */
  url?: string;
  /** several nodes, tried in turn (starting at a random one) */
  urls?: string[];
  /** returns a token (JWT) for the next connection attempt; called before every attempt */
  getToken: () => string | Promise<string>;
  /** a WebSocket constructor; default `globalThis.WebSocket` (browsers, Node.js 22+). For Node 20: `ws` */
  WebSocket?: unknown;
  /** how long a command (and each connection attempt step) waits for its reply; default 10000 */
  timeoutMs?: number;
  /** reconnect delays (default 250 ms to 10 s, exponential with full jitter), or false: never reconnect */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number } | false;
  /** how many commands to queue while (re)connecting; 0 (default) rejects them at once with NotConnectedError */
  queueWhileDisconnected?: number;
  /** after this long without any frame from the node, send a `ping`; no reply within timeoutMs: reconnect. Default 25000, 0: never */
  pingIntervalMs?: number;
  /** the last inbox position an earlier client saw (`inboxPosition`, e.g. kept in localStorage): the first connect resumes the inbox from it */
  inboxSince?: Position;
  /** on `expiring`, refresh the session's token in place with one from getToken() (default true) */
  autoRefresh?: boolean;
}

export interface SessionInfo {
  user: string;
  session: string;
  node: string;
}

export interface ConnectedEvent extends SessionInfo {
  /** false on the first connect, true after a reconnect */
  reconnected: boolean;
}

export interface DisconnectedEvent {
  /** the server's `disconnect` code, or the WebSocket close code, or 1000 after disconnect() */
  code: number;
  reason: string;
  /** whether the client will reconnect by itself */
  reconnect: boolean;
}

export interface InboxRecovery {
  recovered: boolean;
  /** the missed private messages that are new to the application (each is also emitted as `private`) */
  messages: Message[];
  from: Position;
  to: Position;
}

export interface RoomRecovery {
  /** false: the missed messages could not be replayed (reload them with history()) */
  recovered: boolean;
  /** the missed messages that are new to the application (each is also emitted as `message`) */
  missed: Message[];
  /** the last position the application had seen */
  from: Position;
  /** the room's position when the server answered */
  to: Position;
}

export interface PresenceEvent {
  room: string;
  user: string;
}

export type UserStatus = 'online' | 'away' | 'invisible' | 'offline';

export interface StatusEvent {
  user: string;
  status: Exclude<UserStatus, 'offline'>;
}

export interface UserPresence {
  user: string;
  /** 'invisible' only to operators and to the user itself; others see 'offline' */
  status: UserStatus;
  /** when the user's last session ended, ms since the Unix epoch; null when unknown */
  lastOnline: number | null;
}

export interface JoinResult {
  room: string;
  members: string[];
  /** the room's latest position when it was joined */
  epoch: string;
  offset: number;
  /** only for a join with `since` */
  recovered?: boolean;
  /** 'open' for a room id nobody registered (channel 'default', no name) */
  kind: 'open' | 'static' | 'ephemeral' | 'private';
  /** the room's channel id */
  channel: string;
  /** the room's display name; registered rooms only */
  name?: string;
  /** the room's owners, sorted */
  owners: string[];
  /** what this user may do in the room, sorted */
  rights: Array<'history' | 'members' | 'message' | 'remove' | 'rename' | 'setacl'>;
}

export interface SendResult {
  id: string;
  epoch: string;
  offset: number;
  ts: number;
}

export interface HistoryPage {
  /** older than this offset (page back) */
  before?: number;
  /** newer than this offset (page forward) */
  after?: number;
  /** 1 to the server's max (500); default 50 */
  limit?: number;
}

export interface HistoryResult {
  room?: string;
  inbox?: true;
  epoch: string;
  offset: number;
  messages: Message[];
  truncated?: true;
}

export interface ClientEvents {
  state: (state: ClientState, previous: ClientState) => void;
  connected: (event: ConnectedEvent) => void;
  disconnected: (event: DisconnectedEvent) => void;
  error: (error: Error) => void;
  private: (message: Message) => void;
  inbox: (recovery: InboxRecovery) => void;
  broadcast: (message: BroadcastMessage) => void;
  /** every room's messages (each room's own `message` event has them too) */
  message: (message: Message) => void;
  /** the user's status changed (set by any of the user's sessions, or by a backend) */
  status: (event: StatusEvent) => void;
  /** a receipt: of private messages this user sent (`to`, `ids`), or in a room this client is in (`room`) */
  receipt: (event: ReceiptEvent) => void;
  /** after a connect without an inbox position: the private messages the user has not acknowledged */
  unacked: (unacked: UnackedMessages) => void;
  /** a ban of this client's user was lifted */
  unbanned: (event: UnbannedEvent) => void;
  /** the session's token expires soon (dino.auth.expiry-warning ahead): refresh() before `expiresAt` */
  expiring: (event: ExpiringEvent) => void;
  /** autoRefresh replaced the token in place; the session now lives until `expiresAt` */
  refreshed: (event: { expiresAt: number }) => void;
}

export interface ExpiringEvent {
  /** the token's expiry, ms since the epoch */
  expiresAt: number;
  /** ms left until then */
  in: number;
}

export interface RemovedEvent {
  room: string;
  /** "access changed" (the room's rules changed) or "room removed" */
  reason: string;
}

export interface KickedEvent {
  room: string;
  /** who was kicked (when it is this client's user, the room is no longer followed) */
  user: string;
  /** who kicked: a user, or "system" (a backend) */
  by: string;
  /** "" when none was given */
  reason: string;
}

/** A user acknowledged a room, or their inbox, up to a position (docs/protocol.md `receipt`). */
export interface ReceiptEvent {
  /** the room, for a room's receipt */
  room?: string;
  /** the reader, for a receipt of private messages this user sent */
  to?: string;
  /** who received or read */
  user: string;
  kind: 'delivered' | 'read';
  epoch: string;
  /** the reader's marker: everything up to it is received (or read) */
  offset: number;
  /** private messages: the ids of this user's messages the receipt newly acknowledges */
  ids?: string[];
}

/** The private messages the user had not acknowledged, handed over by a connect without an inbox position. */
export interface UnackedMessages {
  messages: Message[];
  /** the inbox holds more after the last one: page on with inboxHistory({after}) */
  more: boolean;
}

export type ReceiptTarget =
  | { room: string; kind: 'delivered' | 'read'; offset: number; epoch?: string }
  | { inbox: true; kind: 'delivered' | 'read'; offset: number; epoch?: string };

export interface ReceiptMarker {
  room?: string;
  inbox?: true;
  epoch: string;
  delivered: number;
  read: number;
}

export interface RoomReceipts {
  room: string;
  offset: number;
  /** who received it (those who read it too), sorted, at most the server's query-max-users */
  delivered: string[];
  deliveredCount: number;
  read: string[];
  readCount: number;
}

export interface PrivateReceipts {
  to: string;
  offset: number;
  delivered: boolean;
  read: boolean;
}

/**
 * Messages of a room were deleted (soft: history and recovery leave them out) or restored: exactly one of `ids`
 * (single messages), `user` (that user's messages) or `all`; a deletion of a user's or all messages carries the
 * position it goes up to (inclusive), `epoch` and `offset`.
 */
export interface DeletionEvent {
  room: string;
  /** who deleted or restored: a user, or "system" (a backend) */
  by: string;
  ids?: string[];
  user?: string;
  all?: true;
  epoch?: string;
  offset?: number;
}

/** What delete and restore act on: one message (with its offset when known), a user's messages, or all of the room. */
export type DeletionTarget = { message: string; offset?: number } | { user: string } | { all: true };

export interface DeletionResult {
  room: string;
  /** delete: what was deleted */
  deleted?: { ids?: string[]; user?: string; all?: true; epoch?: string; offset?: number };
  /** restore: what was taken back */
  restored?: { ids?: string[]; user?: string; all?: true };
  /** false when nothing changed (a room without messages; nothing to restore) */
  changed: boolean;
}

export interface BannedEvent {
  room: string;
  /** who was banned (when it is this client's user, the room is no longer followed) */
  user: string;
  /** who banned: a user, or "system" (a backend) */
  by: string;
  /** "" when none was given */
  reason: string;
  /** when the ban ends, ms since the epoch; 0: permanent */
  until: number;
  /** "room", or "channel" for a ban of the room's channel */
  scope: 'room' | 'channel';
}

export interface MutedEvent {
  room: string;
  user: string;
  by: string;
  reason: string;
  /** when the mute ends, ms since the epoch; 0: permanent */
  until: number;
}

export interface UnmutedEvent {
  room: string;
  user: string;
  by: string;
}

export interface UnbannedEvent {
  user: string;
  scope: 'room' | 'channel' | 'global';
  /** the room or channel id; "" for global */
  target: string;
}

/** Where a ban applies: exactly one. */
export type BanScope = { room: string } | { channel: string } | { global: true };

export interface SanctionOptions {
  /** "30s", "10m", "2h", "7d" or "permanent" (the default) */
  duration?: string;
  /** at most 200 characters */
  reason?: string;
}

export interface BanResult {
  user: string;
  scope: 'room' | 'channel' | 'global';
  target: string;
  /** ms since the epoch; 0: permanent */
  until: number;
  /** sessions taken out of rooms (room, channel) or disconnected (global), on every node */
  sessions: number;
}

export interface BanRecord {
  user: string;
  scope: 'room' | 'channel' | 'global';
  target: string;
  until: number;
  by: string;
  reason: string;
  /** when it was set, ms since the epoch */
  at: number;
}

export interface MuteRecord {
  room: string;
  user: string;
  until: number;
  by: string;
  reason: string;
  at: number;
}

export interface RenamedEvent {
  /** the room's id (it stays) */
  room: string;
  /** its new name */
  name: string;
}

export type RoomKind = 'static' | 'ephemeral' | 'private';

export interface Channel {
  id: string;
  name: string;
  sortOrder: number;
  tags: string[];
}

export interface ListedRoom {
  id: string;
  name: string;
  kind: RoomKind;
  topic: string;
  /** users in the room, as this user may see them */
  users: number;
}

export interface CreateRoomOptions {
  name: string;
  kind: RoomKind;
  /** default: "default" */
  channel?: string;
  topic?: string;
  /** private rooms: who may be in it (the creator always is) */
  members?: string[];
  /** 0 (default): no limit */
  capacity?: number;
}

export interface RoomRecord {
  /** the room's id: use it with room() */
  room: string;
  name: string;
  channel: string;
  kind: RoomKind;
  topic: string;
  capacity: number;
  membershipEvents: boolean;
  owners: string[];
  /** private rooms */
  members?: string[];
}

export interface RoomEvents {
  message: (message: Message) => void;
  joined: (event: PresenceEvent) => void;
  left: (event: PresenceEvent) => void;
  /** the server took this session out of the room (its access rules changed, or it was removed); the room is no longer followed */
  removed: (event: RemovedEvent) => void;
  /** a user was kicked out of the room (sent to the room, the kicked user's sessions included) */
  kicked: (event: KickedEvent) => void;
  /** a user was banned from the room or its channel (sent to the room, the banned user's sessions included) */
  banned: (event: BannedEvent) => void;
  /** a user was muted in the room: their sends there fail with MUTED */
  muted: (event: MutedEvent) => void;
  unmuted: (event: UnmutedEvent) => void;
  /** the room got a new name (its id stays) */
  renamed: (event: RenamedEvent) => void;
  /** a member acknowledged the room up to a position */
  receipt: (event: ReceiptEvent) => void;
  /** messages of the room were deleted: hide them (history and recovery leave them out from now on) */
  deleted: (event: DeletionEvent) => void;
  /** deleted messages of the room were restored (history shows them again) */
  restored: (event: DeletionEvent) => void;
  recovery: (recovery: RoomRecovery) => void;
  /** a re-join after a reconnect failed; `retrying` false means the room is no longer followed */
  error: (error: DinoError, detail: { retrying: boolean }) => void;
}

/** What `report()` names: a message (`room` and `message`), a user, or both; `reason` at most 500 characters. */
export type ReportTarget =
  | { room: string; message: string; user?: string; reason?: string }
  | { room?: string; message?: undefined; user: string; reason?: string };

export declare class DinoClient {
  constructor(options: DinoClientOptions);
  readonly state: ClientState;
  readonly user: string | null;
  readonly session: string | null;
  readonly node: string | null;
  readonly inboxPosition: Position | null;
  connect(): Promise<SessionInfo>;
  disconnect(): void;
  room(name: string): Room;
  sendPrivate(to: string, body: unknown): Promise<SendResult>;
  inboxHistory(page?: HistoryPage): Promise<HistoryResult>;
  setStatus(status: 'online' | 'away' | 'invisible'): Promise<{ status: string }>;
  presence(users: string[]): Promise<UserPresence[]>;
  /** The rooms this connection's session is in on the server now, sorted. */
  rooms(): Promise<string[]>;
  /** The channels this user may see, by sort order then id. */
  channels(): Promise<Channel[]>;
  /** The registered rooms of a channel this user may see, by name. */
  browse(channel: string): Promise<ListedRoom[]>;
  /** Creates a room; this user becomes its owner. */
  createRoom(options: CreateRoomOptions): Promise<RoomRecord>;
  renameRoom(room: string, name: string): Promise<{ room: string; name: string }>;
  removeRoom(room: string): Promise<{ room: string }>;
  /** Kicks a user out of a room on every node; `sessions`: how many were taken out. */
  kick(room: string, user: string, reason?: string): Promise<{ room: string; user: string; sessions: number }>;
  /** Deletes messages of a room (soft); the author may delete their message, the room's moderators any. */
  deleteMessages(room: string, target: DeletionTarget): Promise<DeletionResult>;
  /** Takes deletions back (operators only). */
  restoreMessages(room: string, target: DeletionTarget): Promise<DeletionResult>;
  /** Bans a user from a room, a channel or everywhere, on every node. */
  ban(user: string, scope: BanScope, options?: SanctionOptions): Promise<BanResult>;
  unban(user: string, scope: BanScope): Promise<{ user: string; scope: string; target: string; removed: boolean }>;
  /** The active bans of a scope, or of a user in every scope (operators). */
  bans(query: BanScope | { user: string }): Promise<BanRecord[]>;
  /** Mutes a user in a room: its sends there fail with MUTED until the mute ends. */
  mute(room: string, user: string, options?: SanctionOptions): Promise<{ room: string; user: string; until: number }>;
  unmute(room: string, user: string): Promise<{ room: string; user: string; removed: boolean }>;
  mutes(room: string): Promise<MuteRecord[]>;
  /** Replaces the session's token in place (same user); the session then lives until `expiresAt`. */
  refresh(token: string): Promise<{ expiresAt: number }>;
  roomAcl(room: string): Promise<{ room: string; rules: Record<string, string> }>;
  setRoomAcl(room: string, rules: Record<string, string>): Promise<{ room: string; rules: Record<string, string> }>;
  /** Reports a message (`room` and `message`, its id) or a user to the operators (a post in the admin room). */
  report(target: ReportTarget): Promise<{ reported: true }>;
  /** Asks for an operator in a room this session is in; `admins`: operators in the admin room now (0: stored anyway). */
  requestAdmin(room: string, reason?: string): Promise<{ admins: number }>;
  ping(): Promise<{ ts: number }>;
  /** Marks a room or this user's inbox delivered or read up to an offset; resolves with the stored marker. */
  receipt(receipt: ReceiptTarget): Promise<ReceiptMarker>;
  /** Who of a room received and read a message, or whether the recipient of a private message this user sent did. */
  receipts(message: { room: string; offset: number; epoch?: string }): Promise<RoomReceipts>;
  receipts(message: { to: string; offset: number; epoch?: string }): Promise<PrivateReceipts>;
  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void;
  off<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): void;
}

export declare class Room {
  /** Rooms come from `client.room(name)`. */
  private constructor(client: DinoClient, name: string);
  readonly name: string;
  /** joined (or joining), or autojoined by the server at connect: followed, and re-joined after a reconnect */
  readonly joined: boolean;
  readonly position: Position | null;
  join(options?: { since?: Position }): Promise<JoinResult>;
  leave(): Promise<{ room: string }>;
  /** With `via` (a room the client is in): send from that room to this one (the room's `crossroom` rule decides). */
  send(body: unknown, options?: { via?: string }): Promise<SendResult>;
  /** Whispers in this room to some of its members; they and this user's sessions get it as a 'private' event. */
  whisper(to: string[], body: unknown): Promise<SendResult>;
  history(page?: HistoryPage): Promise<HistoryResult>;
  members(): Promise<string[]>;
  on<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): () => void;
  off<E extends keyof RoomEvents>(event: E, listener: RoomEvents[E]): void;
}

/** Codes of the errors the client raises itself (below 1000: no protocol or close code uses them). */
export declare const ClientCodes: { readonly TIMEOUT: 901; readonly NOT_CONNECTED: 902; readonly CLOSED: 903 };

/** Every failure: `code` and `name` as in docs/protocol.md "Errors" (e.g. 4031 NOT_IN_ROOM), or ClientCodes. */
export declare class DinoError extends Error {
  constructor(code: number, name: string, message: string, details?: Record<string, number | string>);
  readonly code: number;
  readonly name: string;
  /** the error object's other fields: `until` (BANNED, MUTED), `retryAfterMs` (MUTED, RATE_LIMITED), `reason` (BANNED) */
  readonly details: Record<string, number | string>;
  /** whether retrying later may succeed (50xx, RATE_LIMITED, SLOW_CONSUMER) */
  readonly temporary: boolean;
  /** milliseconds to wait before the same request may succeed, when the server says (RATE_LIMITED always does) */
  retryAfterMs: number | undefined;
  /** when the refusing state ends, ms since the epoch (0: never), when the server says (e.g. BANNED, MUTED) */
  until: number | undefined;
}
/** 901 TIMEOUT: no reply within timeoutMs; the command may still have taken effect. */
export declare class TimeoutError extends DinoError {
  constructor(message: string);
}
/** 902 NOT_CONNECTED (or QUEUE_FULL): not sent. */
export declare class NotConnectedError extends DinoError {
  constructor(message: string, name?: string);
}
/** 903 CLOSED: the connection ended before the reply, or the client was disconnected with it queued. */
export declare class ClosedError extends DinoError {
  constructor(message: string, closeCode?: number);
  readonly closeCode: number | undefined;
}

/** The delivery rules (per log: each position once, in order, live events held during a join). */
export declare class LogSequencer {
  duplicatesDropped: number;
  gaps: number;
  live(log: string, msg: { epoch?: unknown; offset?: unknown }): boolean;
  begin(log: string, since?: Position): void;
  complete(log: string, result: object): {
    recovery: { recovered: boolean; from: Position; to: Position; messages: object[] } | null;
    deliver: object[];
  };
  abort(log: string): void;
  forget(log: string): void;
  connectionLost(): void;
  follows(log: string): boolean;
  position(log: string): Position | null;
  positions(): Map<string, Position>;
}
export declare const INBOX: 'inbox';
export declare function roomLog(room: string): string;
export declare function positionOf(node: unknown): Position | null;
export declare function backoffDelay(
  attempt: number,
  limits: { minDelayMs: number; maxDelayMs: number },
  random?: () => number,
): number;
