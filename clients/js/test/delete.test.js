// deleteMessages() / restoreMessages() and the room's 'deleted' / 'restored' events, against a real gateway node:
// deleted messages leave history and the recovery of a later join; an operator's restore brings them back.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

const texts = (messages) => messages.map((m) => m.body.text);

test("deleteMessages() hides a message from history and recovery, the room hears 'deleted', an operator restores it", async () => {
  const alice = client('del-alice');
  const bob = client('del-bob');
  const op = client('del-op', ['globalmod']);
  await Promise.all([alice.connect(), bob.connect(), op.connect()]);
  const aliceRoom = alice.room('del-hall');
  const bobRoom = bob.room('del-hall');
  await aliceRoom.join();
  await bobRoom.join();
  const oops = await aliceRoom.send({ text: 'oops' });
  await aliceRoom.send({ text: 'fine' });

  await assert.rejects(bob.deleteMessages('del-hall', { message: oops.id }), (error) => error instanceof DinoError
    && error.name === 'NOT_ALLOWED');
  await assert.rejects(alice.deleteMessages('del-hall', { message: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }),
    (error) => error instanceof DinoError && error.code === 4043 && error.name === 'NO_SUCH_MESSAGE');

  const heard = next(bobRoom, 'deleted');
  assert.deepEqual(await alice.deleteMessages('del-hall', { message: oops.id, offset: oops.offset }),
    { room: 'del-hall', deleted: { ids: [oops.id] }, changed: true });
  assert.deepEqual(await heard, { room: 'del-hall', by: 'del-alice', ids: [oops.id] });
  assert.deepEqual(texts((await bobRoom.history({ limit: 10 })).messages), ['fine']);

  const late = client('del-late');
  await late.connect();
  const lateRoom = late.room('del-hall');
  const recovered = next(lateRoom, 'recovery');
  await lateRoom.join({ since: { epoch: oops.epoch, offset: 0 } });
  const recovery = await recovered;
  assert.equal(recovery.recovered, true);
  assert.deepEqual(texts(recovery.missed), ['fine']);

  await assert.rejects(alice.restoreMessages('del-hall', { message: oops.id }), (error) => error instanceof DinoError
    && error.name === 'NOT_ALLOWED');
  const restored = next(bobRoom, 'restored');
  assert.deepEqual(await op.restoreMessages('del-hall', { message: oops.id }),
    { room: 'del-hall', restored: { ids: [oops.id] }, changed: true });
  assert.deepEqual(await restored, { room: 'del-hall', by: 'del-op', ids: [oops.id] });
  assert.deepEqual(texts((await bobRoom.history({ limit: 10 })).messages), ['oops', 'fine']);
});

test("a moderator's deletion of a user's or all messages carries the position it goes up to", async () => {
  const op = client('del-mod', ['globalmod']);
  const spammer = client('del-spam');
  await Promise.all([op.connect(), spammer.connect()]);
  const opRoom = op.room('del-spam-room');
  const spamRoom = spammer.room('del-spam-room');
  await opRoom.join();
  await spamRoom.join();
  const first = await spamRoom.send({ text: 'spam' });
  await assert.rejects(spammer.deleteMessages('del-spam-room', { all: true }), (error) => error.name === 'NOT_ALLOWED');

  const byUser = next(spamRoom, 'deleted');
  const reply = await op.deleteMessages('del-spam-room', { user: 'del-spam' });
  assert.deepEqual(reply, { room: 'del-spam-room', deleted: { user: 'del-spam', epoch: first.epoch, offset: 1 }, changed: true });
  assert.deepEqual(await byUser, { room: 'del-spam-room', by: 'del-mod', user: 'del-spam', epoch: first.epoch, offset: 1 });

  await spamRoom.send({ text: 'sorry' });
  const all = next(spamRoom, 'deleted');
  await op.deleteMessages('del-spam-room', { all: true });
  assert.deepEqual(await all, { room: 'del-spam-room', by: 'del-mod', all: true, epoch: first.epoch, offset: 2 });
  assert.deepEqual((await opRoom.history({ limit: 10 })).messages, []);
});
