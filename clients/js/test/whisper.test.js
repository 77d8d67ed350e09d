// room.whisper(): a message to some members of a room, against a real gateway node.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient } from '../src/dino.js';
import { GatewayNode, token } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  node = await GatewayNode.start();
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

function client(user) {
  const c = new DinoClient({ url: node.url, getToken: () => token(user), WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 } });
  clients.push(c);
  return c;
}

function nextPrivate(c) {
  return new Promise((resolve) => {
    const off = c.on('private', (msg) => { off(); resolve(msg); });
  });
}

test('a whisper reaches the recipient and the sender\'s other session, marked with its room and recipients', async () => {
  const wanda = client('wanda');
  const wandaTab2 = client('wanda');
  const otto = client('otto');
  const nosy = client('nosy');
  for (const c of [wanda, wandaTab2, otto, nosy]) {
    await c.connect();
    await c.room('parlor').join();
  }
  const nosyGot = [];
  nosy.on('private', (msg) => nosyGot.push(msg));
  const toOtto = nextPrivate(otto);
  const toTab2 = nextPrivate(wandaTab2);

  const result = await wanda.room('parlor').whisper(['otto'], { text: 'psst' });

  const got = await toOtto;
  assert.equal(got.whisper, 'parlor');
  assert.deepEqual(got.recipients, ['otto']);
  assert.equal(got.from, 'wanda');
  assert.deepEqual(got.body, { text: 'psst' });
  const own = await toTab2;
  assert.equal(own.id, result.id);
  assert.equal(own.whisper, 'parlor');
  assert.deepEqual((await nosy.inboxHistory()).messages, []);
  assert.deepEqual(nosyGot, []);
});

test('a whisper to someone not in the room is refused and sent to nobody', async () => {
  const wes = client('wes');
  const ida = client('ida');
  await wes.connect();
  await ida.connect();
  await wes.room('porch').join();
  await ida.room('porch').join();
  await assert.rejects(wes.room('porch').whisper(['ida', 'gone'], 'hi'),
    (error) => error.name === 'INVALID_VALUE' && error.message === "'gone' is not in room 'porch'");
  assert.deepEqual((await ida.inboxHistory()).messages, []);
});
