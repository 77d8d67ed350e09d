// Autojoin rooms and cross-room sends through the SDK, against a real gateway node.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient, DinoError } from '../src/dino.js';
import { GatewayNode, next, token, until } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  node = await GatewayNode.start();
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

function client(user, options = {}) {
  const c = new DinoClient({ url: node.url, getToken: () => token(user, options), WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 } });
  clients.push(c);
  return c;
}

test('autojoined rooms are followed like joined ones: their messages arrive, and a reconnect keeps them', async () => {
  await node.setRoomAcl('sdk-welcome', { autojoin: 'team=sdk' });
  const ann = client('sdk-ann', { attrs: { team: 'sdk' } });
  await ann.connect();
  const welcome = ann.room('sdk-welcome');
  assert.equal(welcome.joined, true, 'followed after connect');
  assert.deepEqual(await ann.rooms(), ['sdk-welcome']);

  const bob = client('sdk-bob');
  await bob.connect();
  await bob.room('sdk-welcome').join();
  const first = next(welcome, 'message');
  await bob.room('sdk-welcome').send('hello');
  assert.equal((await first).body, 'hello');

  const reconnected = next(ann, 'connected');
  await node.disconnectUser('sdk-ann', 'come back', true);
  assert.equal((await reconnected).reconnected, true);
  assert.equal(welcome.joined, true);
  const second = next(welcome, 'message');
  await bob.room('sdk-welcome').send('again');
  const message = await second;
  assert.equal(message.body, 'again');
  assert.equal(message.offset, 2);
  assert.equal(welcome.position.offset, 2);
});

test('a user the autojoin rule refuses follows nothing', async () => {
  await node.setRoomAcl('sdk-red-only', { autojoin: 'team=red' });
  const blue = client('sdk-blue', { attrs: { team: 'blue' } });
  await blue.connect();
  assert.equal(blue.room('sdk-red-only').joined, false);
  assert.deepEqual(await blue.rooms(), []);
});

test('room.send with via sends from a joined room to another that allows it', async () => {
  await node.setRoomAcl('sdk-stage', { crossroom: 'role=herald' });
  const herald = client('sdk-herald', { roles: ['herald'] });
  const listener = client('sdk-listener');
  const commoner = client('sdk-commoner');
  await Promise.all([herald.connect(), listener.connect(), commoner.connect()]);
  await listener.room('sdk-stage').join();
  await herald.room('sdk-hall').join();
  await commoner.room('sdk-hall').join();

  const heard = next(listener.room('sdk-stage'), 'message');
  const sent = await herald.room('sdk-stage').send('hear ye', { via: 'sdk-hall' });
  assert.equal(sent.offset, 1);
  const message = await heard;
  assert.equal(message.from, 'sdk-herald');
  assert.equal(herald.room('sdk-stage').joined, false, 'sending across rooms does not join');

  await assert.rejects(commoner.room('sdk-stage').send('me too', { via: 'sdk-hall' }), (error) => {
    assert.ok(error instanceof DinoError);
    assert.equal(error.name, 'NOT_ALLOWED');
    assert.equal(error.message, "not allowed to send to room 'sdk-stage' from room 'sdk-hall': needs role=herald");
    return true;
  });
  await until(async () => (await listener.room('sdk-stage').history({ limit: 10 })).messages.length === 1,
    { what: 'one stored message' });
});
