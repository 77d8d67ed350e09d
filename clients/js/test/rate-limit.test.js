// RATE_LIMITED against a real gateway node: the error carries retryAfterMs, counts as temporary, and a send after
// that wait goes through. And DinoError.fromReply keeps an error's extra fields.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient, DinoError } from '../src/dino.js';
import { GatewayNode, token } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  node = await GatewayNode.start({
    settings: { 'dino.limits.rate.sends.per-second': 2, 'dino.limits.rate.sends.burst': 2 },
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

function client(user) {
  const c = new DinoClient({ url: node.url, getToken: () => token(user), WebSocket, timeoutMs: 5000 });
  clients.push(c);
  return c;
}

test('a send over the session\'s budget rejects with RATE_LIMITED and retryAfterMs; after that wait it goes through', async () => {
  const alice = client('rl-js-alice');
  await alice.connect();
  const room = alice.room('rl-js');
  await room.join();
  await room.send('one');
  await room.send('two');
  const error = await room.send('three').then(() => null, (e) => e);
  assert.ok(error instanceof DinoError, `expected a DinoError, got ${error}`);
  assert.equal(error.code, 4050);
  assert.equal(error.name, 'RATE_LIMITED');
  assert.equal(error.temporary, true);
  assert.ok(Number.isInteger(error.retryAfterMs) && error.retryAfterMs > 0 && error.retryAfterMs <= 500,
    `retryAfterMs ${error.retryAfterMs}`);
  assert.equal(error.until, undefined);
  await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
  await room.send('after the wait');
});

test('fromReply keeps retryAfterMs and until, and ignores them when they are not whole numbers', () => {
  const limited = DinoError.fromReply({ code: 4050, name: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 1200 });
  assert.equal(limited.retryAfterMs, 1200);
  assert.equal(limited.temporary, true);
  const muted = DinoError.fromReply({ code: 4039, name: 'MUTED', message: 'muted', until: 1790000000000, retryAfterMs: 'soon' });
  assert.equal(muted.until, 1790000000000);
  assert.equal(muted.retryAfterMs, undefined);
  assert.equal(muted.temporary, false);
});
