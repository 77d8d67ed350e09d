// client.rooms(): the rooms the session is in on the server, against a real gateway node.

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

test('rooms() lists the rooms joined and not left, sorted; another session of the user has its own', async () => {
  const tab1 = client('rhea');
  const tab2 = client('rhea');
  await tab1.connect();
  await tab2.connect();
  assert.deepEqual(await tab1.rooms(), []);
  await tab1.room('lobby').join();
  await tab1.room('dev.backend').join();
  await tab1.room('kitchen').join();
  await tab1.room('kitchen').leave();
  await tab2.room('attic').join();
  assert.deepEqual(await tab1.rooms(), ['dev.backend', 'lobby']);
  assert.deepEqual(await tab2.rooms(), ['attic']);
});
