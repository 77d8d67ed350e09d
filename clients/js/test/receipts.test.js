// receipt(), receipts(), the 'receipt' events and the 'unacked' messages of a connect, against a real gateway shared.node.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

test("a user offline gets the unacknowledged private messages with the connect; the sender hears the receipts", async () => {
  const ann = client('rcpt-ann');
  await ann.connect();
  const sent = await ann.sendPrivate('rcpt-bob', { text: 'lunch?' });
  assert.deepEqual(await ann.receipts({ to: 'rcpt-bob', offset: sent.offset }),
    { to: 'rcpt-bob', offset: sent.offset, delivered: false, read: false });

  const bob = client('rcpt-bob');
  const unacked = next(bob, 'unacked');
  const asPrivate = next(bob, 'private');
  await bob.connect();
  const { messages, more } = await unacked;
  assert.equal(more, false);
  assert.deepEqual(messages.map((m) => [m.id, m.from, m.offset, m.body.text]), [[sent.id, 'rcpt-ann', sent.offset, 'lunch?']]);
  assert.equal((await asPrivate).id, sent.id, "the unacknowledged message is delivered as a 'private' event too");

  const delivered = next(ann, 'receipt');
  assert.deepEqual(await bob.receipt({ inbox: true, kind: 'delivered', offset: sent.offset }),
    { inbox: true, epoch: sent.epoch, delivered: sent.offset, read: 0 });
  assert.deepEqual(await delivered,
    { to: 'rcpt-bob', user: 'rcpt-bob', kind: 'delivered', epoch: sent.epoch, offset: sent.offset, ids: [sent.id] });
  const read = next(ann, 'receipt');
  await bob.receipt({ inbox: true, kind: 'read', offset: sent.offset });
  assert.equal((await read).kind, 'read');
  assert.deepEqual(await ann.receipts({ to: 'rcpt-bob', offset: sent.offset }),
    { to: 'rcpt-bob', offset: sent.offset, delivered: true, read: true });

  // acknowledged: the next connect of a new client hands over nothing
  const again = client('rcpt-bob');
  let handedOver = null;
  again.on('unacked', (event) => { handedOver = event; });
  await again.connect();
  assert.equal(handedOver, null);
});

test("room receipts reach the room's members as the room's and the client's 'receipt' events", async () => {
  const cy = client('rcpt-cy');
  const dee = client('rcpt-dee');
  await Promise.all([cy.connect(), dee.connect()]);
  const cyRoom = cy.room('rcpt-room');
  const deeRoom = dee.room('rcpt-room');
  await cyRoom.join();
  await deeRoom.join();
  const sent = await cyRoom.send('chapter one?');

  const inRoom = next(cyRoom, 'receipt');
  const onClient = next(cy, 'receipt');
  await dee.receipt({ room: 'rcpt-room', kind: 'read', offset: sent.offset });
  const expected = { room: 'rcpt-room', user: 'rcpt-dee', kind: 'read', epoch: sent.epoch, offset: sent.offset };
  assert.deepEqual(await inRoom, expected);
  assert.deepEqual(await onClient, expected);
  assert.deepEqual(await cy.receipts({ room: 'rcpt-room', offset: sent.offset }),
    { room: 'rcpt-room', offset: sent.offset, delivered: ['rcpt-dee'], deliveredCount: 1, read: ['rcpt-dee'], readCount: 1 });

  const outsider = client('rcpt-out');
  await outsider.connect();
  await assert.rejects(outsider.receipts({ room: 'rcpt-room', offset: 1 }),
    (error) => error instanceof DinoError && error.name === 'NOT_IN_ROOM');
});
