// Status, presence queries, the status event and the single-session rule, against a real gateway node.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient, DinoError } from '../src/dino.js';
import { reconnectsAfter } from '../src/client.js';
import { GatewayNode, next, token } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  node = await GatewayNode.start({ settings: { 'dino.sessions.single': true } });
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

function client(user, { roles, ...options } = {}) {
  const c = new DinoClient({ url: node.url, getToken: () => token(user, { roles }), WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 }, ...options });
  clients.push(c);
  return c;
}

test('setStatus: the user is told with a status event, others see it with presence()', async () => {
  const ann = client('ann');
  const bob = client('bob');
  await ann.connect();
  await bob.connect();
  const event = next(ann, 'status');
  assert.deepEqual(await ann.setStatus('away'), { status: 'away' });
  assert.deepEqual(await event, { user: 'ann', status: 'away' });
  assert.deepEqual(await bob.presence(['ann', 'nobody']), [
    { user: 'ann', status: 'away', lastOnline: null },
    { user: 'nobody', status: 'offline', lastOnline: null },
  ]);
});

test('invisible is for operators: others get NOT_ALLOWED and see an invisible operator as offline', async () => {
  const carl = client('carl');
  await carl.connect();
  await assert.rejects(carl.setStatus('invisible'), (error) => error instanceof DinoError && error.code === 4030 && error.name === 'NOT_ALLOWED');
  const olga = client('olga', { roles: ['globalmod'] });
  await olga.connect();
  await olga.setStatus('invisible');
  assert.equal((await carl.presence(['olga']))[0].status, 'offline');
  assert.equal((await olga.presence(['olga']))[0].status, 'invisible');
});

test('a REPLACED disconnect (single-session rule) is final: the older client does not reconnect', async () => {
  let calls = 0;
  const tab1 = client('dora', { getToken: () => { calls++; return token('dora'); } });
  await tab1.connect();
  const disconnected = next(tab1, 'disconnected');
  const tab2 = client('dora');
  await tab2.connect();
  assert.deepEqual(await disconnected, { code: 4091, reason: 'logged in elsewhere', reconnect: false });
  assert.equal(tab1.state, 'closed');
  // 'closed' is final: the client schedules no further attempt once in it
  assert.equal(calls, 1);
  assert.equal(tab2.state, 'connected');
  assert.deepEqual(Object.keys(await tab2.ping()), ['ts']);
});

test('reconnectsAfter: REPLACED never reconnects, whatever the frame says', () => {
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 4091, name: 'REPLACED', reconnect: true }), false);
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 4091, name: 'REPLACED', reconnect: false }), false);
});
