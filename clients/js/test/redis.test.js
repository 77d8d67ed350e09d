// The SDK against a gateway node on the redis engine and a real redis-server: a client whose node restarts
// gets the messages it missed exactly once, in order; a command the node cannot answer in time times out.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient, TimeoutError } from '../src/dino.js';
import { GatewayNode, RedisServer, next, token, until } from './support/gateway.js';

let redis;
let node;
const clients = [];

before(async () => {
  redis = await RedisServer.start();
  node = await GatewayNode.start({ engine: 'redis', redisUri: redis.uri });
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
  await redis?.close();
});

function client(user, url, options = {}) {
  const c = new DinoClient({ url, getToken: () => token(user), WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 }, ...options });
  clients.push(c);
  return c;
}

test('after its node restarts, a client gets what it missed exactly once and in order (redis engine)', async () => {
  // alice's next connection attempts wait for the gate: bob sends while she is away
  let openGate;
  const gate = new Promise((r) => { openGate = r; });
  let aliceTokens = 0;
  const alice = client('alice', node.url, { getToken: async () => (++aliceTokens > 1 ? gate.then(() => token('alice')) : token('alice')) });
  const bob = client('bob', node.url);
  await Promise.all([alice.connect(), bob.connect()]);
  const room = alice.room('journal');
  await room.join();
  await bob.room('journal').join();

  const seen = [];
  room.on('message', (m) => seen.push(m));
  const privates = [];
  alice.on('private', (m) => privates.push(m.body));
  for (const text of ['a', 'b']) await bob.room('journal').send(text);
  await until(() => seen.length === 2, { what: 'alice to see the first two messages' });

  const lost = next(alice, 'disconnected');
  await node.kill();
  await lost;
  await node.restart();
  await until(() => bob.state === 'connected', { what: 'bob to reconnect' });
  assert.equal(alice.state, 'reconnecting');
  for (const text of ['c', 'd', 'e', 'f', 'g']) await bob.room('journal').send(text);
  await bob.sendPrivate('alice', 'while you were away');

  const recovery = next(room, 'recovery');
  const inbox = next(alice, 'inbox');
  const reconnected = next(alice, 'connected');
  openGate();
  assert.equal((await reconnected).reconnected, true);
  const r = await recovery;
  assert.equal(r.recovered, true);
  assert.deepEqual(r.missed.map((m) => m.body), ['c', 'd', 'e', 'f', 'g']);
  assert.deepEqual(r.from, { epoch: seen[1].epoch, offset: 2 });
  const i = await inbox;
  assert.equal(i.recovered, true);
  assert.deepEqual(i.messages.map((m) => m.body), ['while you were away']);

  await bob.room('journal').send('h');
  await until(() => seen.length >= 8, { what: 'alice to see eight messages' });
  assert.deepEqual(seen.map((m) => m.body), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  assert.deepEqual(seen.map((m) => m.offset), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(privates, ['while you were away']);
  assert.deepEqual(room.position, { epoch: seen[0].epoch, offset: 8 });
});

test('a command without a reply within timeoutMs fails with TimeoutError', async () => {
  const carol = client('carol', node.url, { timeoutMs: 600 });
  await carol.connect();
  await carol.room('slow').join();
  redis.pause(); // the node waits for Redis (dino.redis.command-timeout, 2 s) before it can answer
  try {
    const started = Date.now();
    await assert.rejects(carol.room('slow').send('x'), (e) => e instanceof TimeoutError && e.code === 901 && e.name === 'TIMEOUT');
    assert.ok(Date.now() - started >= 550);
  } finally {
    redis.resume();
  }
  assert.equal(carol.state, 'connected', 'a timed-out command leaves the connection open');
  assert.ok((await carol.ping()).ts > 0);
});
