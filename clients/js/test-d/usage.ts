// Compiled (not run) by `npm run check`: the declarations must allow what docs/js-sdk.md shows.
import { DinoClient, DinoError, NotConnectedError, type Message, type RoomRecovery } from '../src/index.js';

async function usage(): Promise<void> {
  const client = new DinoClient({ url: 'ws://127.0.0.1:8080/ws', getToken: async () => 'token', queueWhileDisconnected: 10 });
  const off = client.on('connected', ({ user, reconnected }) => console.log(user, reconnected));
  off();
  client.on('disconnected', ({ code, reason, reconnect }) => console.log(code, reason, reconnect));
  client.on('private', (msg: Message) => console.log(msg.from, msg.body));
  client.on('inbox', ({ recovered, messages }) => console.log(recovered, messages.length));
  await client.connect();
  const lobby = client.room('lobby');
  lobby.on('message', (msg) => console.log(msg.offset));
  lobby.on('recovery', (r: RoomRecovery) => { if (!r.recovered) void lobby.history({ limit: 50 }); });
  lobby.on('removed', ({ room, reason }) => console.log(room, reason.length));
  lobby.on('kicked', ({ room, user, by, reason }) => console.log(room, user, by, reason.length));
  // @ts-expect-error: no such room event
  lobby.on('exploded', () => {});
  const { members, epoch, offset } = await lobby.join();
  console.log(members.join(), epoch, offset, lobby.position?.offset);
  const sent = await lobby.send({ text: 'hi' });
  console.log(sent.id, sent.ts);
  console.log((await client.room('stage').send('from the lobby', { via: 'lobby' })).offset);
  // @ts-expect-error: via names a room
  await client.room('stage').send('x', { via: 1 });
  try {
    await lobby.send('x');
  } catch (e) {
    if (e instanceof NotConnectedError) console.log('queue full or not connected');
    else if (e instanceof DinoError) console.log(e.code, e.name, e.retryAfterMs ?? 0, e.until ?? 0);
  }
  const state: 'connected' | 'closed' | string = client.state;
  console.log(state, (await client.ping()).ts, (await lobby.members()).length);
  await client.sendPrivate('bob', 'hi');
  await client.inboxHistory({ before: 10, limit: 5 });
  client.on('status', ({ user, status }) => console.log(user, status));
  await client.setStatus('away');
  for (const { user, status, lastOnline } of await client.presence(['bob'])) {
    console.log(user, status === 'offline' ? lastOnline ?? 'never' : status);
  }
  const rooms: string[] = await client.rooms();
  console.log(rooms.includes('lobby'));
  for (const channel of await client.channels()) {
    for (const listed of await client.browse(channel.id)) console.log(channel.name, listed.name, listed.kind, listed.users);
  }
  const created = await client.createRoom({ name: 'Book club', kind: 'private', members: ['bob'] });
  client.room(created.room).on('renamed', ({ name }) => console.log(name));
  await client.renameRoom(created.room, 'Readers');
  const rules: Record<string, string> = (await client.setRoomAcl(created.room, { join: 'age=18:' })).rules;
  const stored: string | undefined = (await client.roomAcl(created.room)).rules[Object.keys(rules)[0]];
  const kicked: number = (await client.kick('lobby', 'bob', 'flooding')).sessions;
  await client.kick('lobby', 'bob');
  // @ts-expect-error: the reason is a string
  await client.kick('lobby', 'bob', 5);
  console.log(kicked);
  client.on('unacked', ({ messages, more }) => console.log(messages.map((m) => m.offset), more));
  client.on('receipt', ({ to, room, user, kind, offset, ids }) => console.log(to ?? room, user, kind, offset, ids?.length));
  client.room('lobby').on('receipt', ({ user, kind, offset }) => console.log(user, kind, offset));
  const marker = await client.receipt({ inbox: true, kind: 'delivered', offset: 3 });
  const delivered: number = marker.delivered;
  await client.receipt({ room: 'lobby', kind: 'read', offset: 12, epoch: marker.epoch });
  // @ts-expect-error: a receipt is delivered or read
  await client.receipt({ room: 'lobby', kind: 'seen', offset: 1 });
  const readers: string[] = (await client.receipts({ room: 'lobby', offset: 12 })).read;
  const wasRead: boolean = (await client.receipts({ to: 'bob', offset: 1 })).read;
  console.log(delivered, readers, wasRead);
  lobby.on('deleted', ({ room, by, ids, user, all, offset }) => console.log(room, by, ids?.length, user, all, offset));
  lobby.on('restored', ({ ids }) => console.log(ids));
  const deleted = await client.deleteMessages('lobby', { message: sent.id, offset: sent.offset });
  console.log(deleted.changed, deleted.deleted?.ids);
  await client.deleteMessages('lobby', { user: 'bob' });
  await client.deleteMessages('lobby', { all: true });
  await client.restoreMessages('lobby', { user: 'bob' });
  // @ts-expect-error: all is only ever true
  await client.deleteMessages('lobby', { all: false });
  const reported: true = (await client.report({ room: 'lobby', message: '01JDQ0ZR7M8V4N6R3T5W7Y9A1C', reason: 'spam' })).reported;
  await client.report({ user: 'bob' });
  // @ts-expect-error: a message id needs its room
  await client.report({ message: '01JDQ0ZR7M8V4N6R3T5W7Y9A1C' });
  // @ts-expect-error: a report names a message or a user
  await client.report({ room: 'lobby' });
  const admins: number = (await client.requestAdmin('lobby', 'a flood')).admins;
  await client.requestAdmin('lobby');
  console.log(reported, admins);
  const ban = await client.ban('bob', { room: 'lobby' }, { duration: '10m', reason: 'flooding' });
  const until: number = ban.until;
  await client.ban('bob', { global: true });
  await client.ban('bob', { channel: 'games' }, { duration: 'permanent' });
  // @ts-expect-error: a scope names a room, a channel or global
  await client.ban('bob', { lobby: true });
  const removed: boolean = (await client.unban('bob', { room: 'lobby' })).removed;
  for (const b of await client.bans({ user: 'bob' })) console.log(b.scope, b.target, b.until, b.by, b.reason, b.at);
  const mutedUntil: number = (await client.mute('lobby', 'bob', { duration: '30s' })).until;
  await client.unmute('lobby', 'bob');
  for (const m of await client.mutes('lobby')) console.log(m.user, m.until);
  lobby.on('banned', ({ room, user, by, reason, until: ends, scope }) => console.log(room, user, by, reason, ends, scope));
  lobby.on('muted', ({ user, until: ends }) => console.log(user, ends));
  lobby.on('unmuted', ({ user, by }) => console.log(user, by));
  client.on('unbanned', ({ scope, target }) => console.log(scope, target));
  try {
    await lobby.send('hi');
  } catch (error) {
    if (error instanceof DinoError && error.name === 'MUTED') console.log(error.details.retryAfterMs, error.details.until);
  }
  console.log(until, removed, mutedUntil);
  client.on('expiring', ({ expiresAt, in: left }) => console.log(expiresAt - left));
  client.on('refreshed', ({ expiresAt }) => console.log(expiresAt));
  const refreshed: number = (await client.refresh('new-token')).expiresAt;
  // @ts-expect-error: the token is a string
  await client.refresh(42);
  console.log(refreshed);
  const manual = new DinoClient({ url: 'ws://127.0.0.1:8080/ws', getToken: () => 'token', autoRefresh: false });
  manual.disconnect();
  await client.removeRoom(created.room);
  client.disconnect();
}
void usage;
