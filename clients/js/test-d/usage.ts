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
  lobby.on('banned', () => {});
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
  await client.removeRoom(created.room);
  client.disconnect();
}
void usage;
