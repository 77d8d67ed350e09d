// The SDK against a real gateway node (memory engine): chat, errors, tokens, server-side disconnects,
// sends while disconnected, and recovery reported as lost after the node restarted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { ClosedError, DinoClient, DinoError, NotConnectedError } from '../src/dino.js';
import { GatewayNode, next, token, until } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  node = await GatewayNode.start({ settings: { 'dino.auth.clock-skew': 'PT0S' } });
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

/** A client of the test node; disconnected after the tests. */
function client(user, options = {}) {
  const c = new DinoClient({ url: node.url, getToken: () => token(user), WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 }, ...options });
  clients.push(c);
  return c;
}

test('two clients chat in a room: join, members, presence, send, receive, history', async () => {
  const alice = client('alice');
  const bob = client('bob');
  const states = [];
  alice.on('state', (s) => states.push(s));
  const connected = next(alice, 'connected');
  const info = await alice.connect();
  assert.equal(info.user, 'alice');
  assert.equal(alice.state, 'connected');
  assert.deepEqual(await connected, { user: 'alice', session: alice.session, node: alice.node, reconnected: false });
  assert.deepEqual(states, ['connecting', 'connected']);
  await bob.connect();

  const lobbyA = alice.room('chat-1');
  const lobbyB = bob.room('chat-1');
  assert.equal(alice.room('chat-1'), lobbyA, 'one Room object per name');
  const joinedA = await lobbyA.join();
  assert.deepEqual(joinedA.members, ['alice']);
  assert.equal(joinedA.offset, 0);
  const bobArrives = next(lobbyA, 'joined', { filter: (e) => e.user === 'bob' });
  assert.deepEqual((await lobbyB.join()).members, ['alice', 'bob']);
  assert.deepEqual(await bobArrives, { room: 'chat-1', user: 'bob' });
  assert.deepEqual(await lobbyB.members(), ['alice', 'bob']);

  const received = [];
  lobbyB.on('message', (m) => received.push(m));
  const sent = await lobbyA.send({ text: 'hi bob' });
  await lobbyA.send('second');
  assert.equal(typeof sent.id, 'string');
  assert.equal(sent.offset, 1);
  await until(() => received.length === 2, { what: 'bob to receive two messages' });
  assert.deepEqual(received.map((m) => [m.from, m.body, m.offset]), [['alice', { text: 'hi bob' }, 1], ['alice', 'second', 2]]);
  assert.deepEqual(lobbyB.position, { epoch: sent.epoch, offset: 2 });

  const page = await lobbyB.history({ limit: 1 });
  assert.deepEqual(page.messages.map((m) => m.body), ['second']);
  assert.deepEqual((await lobbyB.history({ before: 2 })).messages.map((m) => m.body), [{ text: 'hi bob' }]);

  const bobLeaves = next(lobbyA, 'left');
  await lobbyB.leave();
  assert.equal(lobbyB.joined, false);
  assert.deepEqual(await bobLeaves, { room: 'chat-1', user: 'bob' });
  assert.ok((await alice.ping()).ts > 0);
});

test('private messages reach every session of the recipient and its inbox history', async () => {
  const carol = client('carol');
  const dave = client('dave');
  await Promise.all([carol.connect(), dave.connect()]);
  const got = next(dave, 'private');
  const result = await carol.sendPrivate('dave', 'psst');
  const msg = await got;
  assert.equal(msg.from, 'carol');
  assert.equal(msg.to, 'dave');
  assert.equal(msg.id, result.id);
  assert.deepEqual(dave.inboxPosition, { epoch: result.epoch, offset: result.offset });
  const history = await dave.inboxHistory({ limit: 10 });
  assert.equal(history.inbox, true);
  assert.deepEqual(history.messages.map((m) => m.body), ['psst']);
});

test('server errors are DinoErrors with the protocol code and name', async () => {
  const erin = client('erin');
  await erin.connect();
  const cases = [
    [() => erin.room('not-joined').send('x'), 4031, 'NOT_IN_ROOM'],
    [() => erin.room('tea room').join(), 4003, 'INVALID_VALUE'],
    [() => erin.room('lobby').history({ limit: 0 }), 4003, 'INVALID_VALUE'],
    [() => erin.room('not-joined').leave(), 4031, 'NOT_IN_ROOM'],
    [() => erin.sendPrivate('frank', '   '), 4006, 'EMPTY_MESSAGE'],
    [() => erin.sendPrivate('frank'), 4002, 'MISSING_FIELD'],
  ];
  for (const [run, code, name] of cases) {
    await assert.rejects(run(), (error) => {
      assert.ok(error instanceof DinoError, String(error));
      assert.ok(error instanceof Error);
      assert.equal(error.code, code, error.message);
      assert.equal(error.name, name);
      assert.ok(error.message.length > 0);
      return true;
    });
  }
  assert.equal(erin.state, 'connected', 'errors leave the session open');
});

test('an invalid token ends the client: connect() rejects with INVALID_TOKEN and it does not retry', async () => {
  let calls = 0;
  const mallory = client('mallory', { getToken: () => { calls++; return token('mallory', { secret: 'another-secret-another-secret-another-secret' }); } });
  const disconnected = next(mallory, 'disconnected');
  await assert.rejects(mallory.connect(), (error) => error instanceof DinoError && error.code === 4011 && error.name === 'INVALID_TOKEN');
  assert.equal(mallory.state, 'closed');
  assert.equal((await disconnected).reconnect, false);
  assert.equal(calls, 1);
  await assert.rejects(mallory.room('lobby').send('x'), NotConnectedError);
});

test('an expired token is refreshed through getToken(), with backoff between attempts', async () => {
  const calls = [];
  // a token cache that hands out its stale token once before fetching a fresh one
  const grace = client('grace', {
    getToken: () => {
      calls.push(Date.now());
      return token('grace', { ttlSeconds: calls.length === 1 ? -30 : 3600 });
    },
  });
  const errors = [];
  grace.on('error', (e) => errors.push(e));
  await grace.connect();
  assert.equal(calls.length, 2);
  assert.equal(errors[0].name, 'TOKEN_EXPIRED');
  assert.equal(errors[0].code, 4012);
  assert.ok(calls[1] - calls[0] >= 45, `retried after ${calls[1] - calls[0]} ms`);
});

test('a token that expires while connected ends the session (TOKEN_EXPIRED) and is replaced on the reconnect', async () => {
  let calls = 0;
  // exp is in whole seconds, so a 1 s token may be dead on arrival on a busy machine: 3 s lives 2-3 s
  let cached = token('heidi', { ttlSeconds: 3 });
  const heidi = client('heidi', {
    // no refresh in place on 'expiring' (tokens.test.js covers it): the token is only replaced at a reconnect
    autoRefresh: false,
    getToken: () => {
      calls++;
      if (calls === 3) cached = token('heidi'); // the cache notices TOKEN_EXPIRED and refreshes
      return cached;
    },
  });
  const disconnected = next(heidi, 'disconnected');
  const reconnected = next(heidi, 'connected', { filter: (e) => e.reconnected });
  await heidi.connect();
  // this node grants no clock skew: the session ends at the token's exp
  assert.deepEqual(await disconnected, { code: 4012, reconnect: true,
    reason: 'the token has expired; connect again with a new one (or send refresh before it expires)' });
  await reconnected;
  assert.equal(calls, 3, 'first token, the stale one (TOKEN_EXPIRED), a fresh one');
});

test('getToken() that only returns expired tokens is retried with backoff, never in a tight loop', async () => {
  const calls = [];
  const ivan = client('ivan', {
    reconnect: { minDelayMs: 100, maxDelayMs: 400 },
    getToken: () => { calls.push(Date.now()); return token('ivan', { ttlSeconds: -30 }); },
  });
  ivan.connect().catch(() => {});
  await until(() => calls.length >= 5, { what: '5 getToken() calls', timeoutMs: 10_000 });
  ivan.disconnect();
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i] - calls[i - 1] >= 95, `attempt ${i} after ${calls[i] - calls[i - 1]} ms`);
  assert.equal(ivan.state, 'disconnected');
});

test('disconnect with reconnect: false from the backend stops the client', async () => {
  let calls = 0;
  const judy = client('judy', { getToken: () => { calls++; return token('judy'); } });
  await judy.connect();
  await judy.room('chat-2').join();
  const disconnected = next(judy, 'disconnected');
  await node.disconnectUser('judy', 'banned', false);
  assert.deepEqual(await disconnected, { code: 4090, reason: 'banned', reconnect: false });
  assert.equal(judy.state, 'closed');
  await assert.rejects(judy.room('chat-2').send('still here?'), NotConnectedError);
  // 'closed' is final: the client schedules no further attempt once in it
  assert.equal(calls, 1);
  assert.equal(judy.state, 'closed');
});

test('commands while disconnected: rejected at once by default, queued up to the bound; after a memory-engine restart recovery is reported lost and a refused re-join affects only its room', async () => {
  const kate = client('kate', { queueWhileDisconnected: 2 });
  const leo = client('leo');
  const mike = client('mike');
  const olga = client('olga');
  await Promise.all([kate.connect(), leo.connect(), mike.connect(), olga.connect()]);
  await olga.room('olga-1').join();
  await olga.room('olga-2').join();
  const refused = next(olga.room('olga-2'), 'error');
  const olgaBack = next(olga, 'connected');
  const room = kate.room('chat-3');
  await room.join();
  await room.send('before 1');
  await room.send('before 2');
  await mike.sendPrivate('kate', 'private before');
  await until(() => room.position?.offset === 2 && kate.inboxPosition?.offset === 1, { what: 'kate to see her messages' });

  const kateMessages = [];
  room.on('message', (m) => kateMessages.push(m.body));
  const recovery = next(room, 'recovery');
  const inbox = next(kate, 'inbox');
  const lost = next(kate, 'disconnected');
  await node.kill();
  assert.equal((await lost).reconnect, true);
  await until(() => kate.state === 'reconnecting' && leo.state === 'reconnecting', { what: 'both to be reconnecting' });

  await assert.rejects(leo.ping(), (e) => e instanceof NotConnectedError && e.code === 902 && e.name === 'NOT_CONNECTED');
  const queued1 = room.send('queued 1');
  const queued2 = room.send('queued 2');
  await assert.rejects(room.send('queued 3'), (e) => e instanceof NotConnectedError && e.name === 'QUEUE_FULL');

  // the node comes back allowing one room per session: olga's second re-join is refused for good
  await node.restart({ 'dino.limits.max-rooms-per-session': 1 });
  const r = await recovery;
  assert.equal(r.recovered, false, 'a memory engine restart loses the room log');
  assert.equal(r.from.offset, 2);
  assert.deepEqual(r.missed, []);
  assert.equal((await inbox).recovered, false);
  const [s1, s2] = await Promise.all([queued1, queued2]);
  assert.deepEqual([s1.offset, s2.offset], [1, 2]);
  assert.notEqual(s1.epoch, r.from.epoch);
  await until(() => kateMessages.length === 2, { what: 'kate to receive her queued messages' });
  assert.deepEqual(kateMessages, ['queued 1', 'queued 2']);
  await until(() => leo.state === 'connected', { what: 'leo to reconnect' });

  const [error, detail] = await refused;
  assert.equal(error.code, 4032);
  assert.equal(error.name, 'TOO_MANY_ROOMS');
  assert.deepEqual(detail, { retrying: false });
  await olgaBack;
  assert.equal(olga.state, 'connected', 'a refused re-join does not fail the connection');
  assert.equal(olga.room('olga-2').joined, false);
  assert.equal(olga.room('olga-1').joined, true);
  assert.ok((await olga.room('olga-1').send('still here')).offset >= 1);
});

test('disconnect() fails queued commands and a pending connect() with ClosedError', async () => {
  const nina = client('nina', { queueWhileDisconnected: 5, url: 'ws://127.0.0.1:9/ws' });
  const connecting = nina.connect();
  const queued = nina.ping();
  assert.equal(nina.state, 'connecting');
  nina.disconnect();
  await assert.rejects(queued, ClosedError);
  await assert.rejects(connecting, ClosedError);
  assert.equal(nina.state, 'disconnected');
});

test('join with since (a position kept from an earlier visit) delivers what was missed, then live messages', async () => {
  const paul = client('paul');
  const quinn = client('quinn');
  await Promise.all([paul.connect(), quinn.connect()]);
  const first = paul.room('chat-4');
  await first.join();
  await quinn.room('chat-4').join();
  await quinn.room('chat-4').send('one');
  await until(() => first.position?.offset === 1, { what: 'paul to see the first message' });
  const saved = first.position;
  paul.disconnect();
  await quinn.room('chat-4').send('two');
  await quinn.room('chat-4').send('three');

  const later = client('paul'); // a new page load: a new client that knows only the saved position
  await later.connect();
  const room = later.room('chat-4');
  const got = [];
  room.on('message', (m) => got.push(m.body));
  const recovery = next(room, 'recovery');
  const result = await room.join({ since: saved });
  assert.equal(result.recovered, true);
  assert.equal(result.messages, undefined, 'recovered messages come as events, not in the result');
  const r = await recovery;
  assert.deepEqual(r.missed.map((m) => m.body), ['two', 'three']);
  assert.deepEqual(r.from, saved);
  await quinn.room('chat-4').send('four');
  await until(() => got.length === 3, { what: 'three messages' });
  assert.deepEqual(got, ['two', 'three', 'four']);
});

test('a backend broadcast reaches connected clients; several urls are tried in turn', async () => {
  const rita = client('rita', { urls: ['ws://127.0.0.1:9/ws', node.url] }); // port 9: nothing listens
  const errors = [];
  rita.on('error', (e) => errors.push(e));
  await rita.connect();
  assert.equal(rita.state, 'connected');
  const got = next(rita, 'broadcast');
  await node.broadcast({ text: 'maintenance at 22:00' }, 'ops');
  const msg = await got;
  assert.equal(msg.from, 'ops');
  assert.deepEqual(msg.body, { text: 'maintenance at 22:00' });
  assert.ok(errors.every((e) => e instanceof Error));
});

test('a node that stops answering is noticed by an idle ping; the client reconnects when it answers again', async () => {
  const sam = client('sam', { pingIntervalMs: 300, timeoutMs: 500 });
  await sam.connect();
  const lost = next(sam, 'disconnected');
  node.pause();
  try {
    const event = await lost;
    assert.equal(event.code, 901);
    assert.equal(event.reconnect, true);
    assert.equal(sam.state, 'reconnecting');
  } finally {
    node.resume();
  }
  await until(() => sam.state === 'connected', { what: 'sam to reconnect' });
  assert.ok((await sam.ping()).ts > 0);
});

test('inboxSince resumes the inbox of an earlier client: what arrived meanwhile comes first, once', async () => {
  const tom = client('tom');
  const uma = client('uma');
  await Promise.all([tom.connect(), uma.connect()]);
  await uma.sendPrivate('tom', 'first');
  await until(() => tom.inboxPosition?.offset === 1, { what: 'tom to get the first private message' });
  const saved = tom.inboxPosition;
  tom.disconnect();
  await uma.sendPrivate('tom', 'second');
  await uma.sendPrivate('tom', 'third');

  const again = client('tom', { inboxSince: saved });
  const privates = [];
  again.on('private', (m) => privates.push(m.body));
  const inbox = next(again, 'inbox');
  await again.connect();
  const r = await inbox;
  assert.equal(r.recovered, true);
  assert.deepEqual(r.from, saved);
  assert.deepEqual(r.messages.map((m) => m.body), ['second', 'third']);
  assert.deepEqual(privates, ['second', 'third']);
  assert.equal(again.inboxPosition.offset, 3);
});

test('access rules: a refused join is a DinoError NOT_ALLOWED; a rule change removes the room, which is not re-joined', async () => {
  await node.setRoomAcl('acl-adults', { join: 'age=18:' });
  const kid = client('kid', { getToken: () => token('kid', { attrs: { age: 12 } }) });
  await kid.connect();
  await assert.rejects(kid.room('acl-adults').join(), (error) => {
    assert.ok(error instanceof DinoError);
    assert.equal(error.code, 4030);
    assert.equal(error.name, 'NOT_ALLOWED');
    assert.equal(error.message, "not allowed to join room 'acl-adults': needs age=18:");
    return true;
  });
  assert.equal(kid.room('acl-adults').joined, false);

  const teen = client('teen', { getToken: () => token('teen', { attrs: { age: 16 } }) });
  const watcher = client('watcher', { getToken: () => token('watcher', { roles: ['superuser'] }) });
  await Promise.all([teen.connect(), watcher.connect()]);
  const room = teen.room('acl-changing');
  await room.join();
  await watcher.room('acl-changing').join();
  const removed = next(room, 'removed');
  const left = next(watcher.room('acl-changing'), 'left');
  await node.setRoomAcl('acl-changing', { join: 'age=18:' });
  assert.deepEqual(await removed, { room: 'acl-changing', reason: 'access changed' });
  assert.deepEqual(await left, { room: 'acl-changing', user: 'teen' });
  assert.equal(room.joined, false, 'no longer followed');
  assert.equal(room.position, null);

  // a reconnect does not re-join it
  const reconnected = next(teen, 'connected');
  await node.disconnectUser('teen', 'come back', true);
  assert.equal((await reconnected).reconnected, true);
  assert.deepEqual(await watcher.room('acl-changing').members(), ['watcher']);
});
