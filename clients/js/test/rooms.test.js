// client.rooms(): the rooms the session is in on the server, against a real gateway shared.node.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedNode } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

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
