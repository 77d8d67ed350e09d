// report(), requestAdmin() and the shadow block of blacklisted words, against a real gateway node: reports reach an
// operator in the admin room; a blocked send resolves as accepted, is shown to its sender, but reaches nobody else.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

/** The next post of `type` in the admin room, as the operator's client sees it. */
function post(adminRoom, type) {
  return next(adminRoom, 'message', { filter: (msg) => msg.body?.type === type });
}

test('a report and a request for an admin reach an operator in the admin room; others cannot join it', async () => {
  const op = client('rep-op', ['globalmod']);
  const ann = client('rep-ann');
  await Promise.all([op.connect(), ann.connect()]);
  const admin = op.room('admin');
  assert.equal((await admin.join()).kind, 'private');
  await assert.rejects(ann.room('admin').join(), (error) => error instanceof DinoError && error.name === 'NOT_ALLOWED');
  const lobby = ann.room('rep-lobby');
  await lobby.join();
  const sent = await lobby.send('hello');

  const reported = post(admin, 'report');
  assert.deepEqual(await ann.report({ room: 'rep-lobby', message: sent.id, user: 'rep-troll', reason: 'spam' }), { reported: true });
  const report = await reported;
  assert.equal(report.from, 'system');
  assert.deepEqual(report.body, { type: 'report', by: 'rep-ann', room: 'rep-lobby', messageId: sent.id, user: 'rep-troll', reason: 'spam' });
  await assert.rejects(ann.report({ room: 'rep-lobby' }), (error) => error instanceof DinoError && error.name === 'MISSING_FIELD');

  const requested = post(admin, 'request-admin');
  assert.deepEqual(await ann.requestAdmin('rep-lobby', 'a flood'), { admins: 1 });
  assert.deepEqual((await requested).body, { type: 'request-admin', by: 'rep-ann', room: 'rep-lobby', reason: 'a flood' });
  await assert.rejects(ann.requestAdmin('rep-elsewhere'), (error) => error instanceof DinoError && error.name === 'NOT_IN_ROOM');
});

test('a blacklisted word: the send resolves as accepted, the operators are told, the other members get nothing', async () => {
  await shared.node.addBlacklistWords(['frobnicate']);
  const op = client('bl-js-op', ['globalmod']);
  const eve = client('bl-js-eve');
  const bob = client('bl-js-bob');
  await Promise.all([op.connect(), eve.connect(), bob.connect()]);
  const admin = op.room('admin');
  await admin.join();
  const eveRoom = eve.room('bl-js-room');
  const bobRoom = bob.room('bl-js-room');
  await eveRoom.join();
  await bobRoom.join();
  const received = [];
  bobRoom.on('message', (msg) => received.push(msg.body));

  const blockedPost = post(admin, 'blacklisted');
  const echoed = next(eveRoom, 'message', { filter: (msg) => msg.body?.text === 'FROBNICATE it' });
  const blocked = await eveRoom.send({ text: 'FROBNICATE it' });
  // the SDK shows the sender its blocked message, as it would a stored one
  assert.equal((await echoed).id, blocked.id);
  assert.equal(typeof blocked.id, 'string');
  const told = await blockedPost;
  assert.equal(told.body.messageId, blocked.id);
  assert.deepEqual(told.body.words, ['frobnicate']);
  assert.deepEqual(told.body.body, { text: 'FROBNICATE it' });

  const marker = next(bobRoom, 'message', { filter: (msg) => msg.body === 'marker' });
  await eveRoom.send('marker');
  await marker;
  assert.deepEqual(received, ['marker']);
});
