// channels(), browse(), createRoom(), renameRoom(), removeRoom() and the room's 'renamed' and 'removed' events,
// against a real gateway shared.node.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

test('channels() lists the default channel; createRoom() makes the user owner and browse() lists the room', async () => {
  const ann = client('adm-ann');
  await ann.connect();
  assert.deepEqual(await ann.channels(), [{ id: 'default', name: 'default', sortOrder: 0, tags: [] }]);
  const created = await ann.createRoom({ name: 'Knitting', kind: 'ephemeral', topic: 'wool' });
  assert.match(created.room, /^r-[0-9A-Z]{26}$/);
  assert.equal(created.name, 'Knitting');
  assert.equal(created.channel, 'default');
  assert.equal(created.kind, 'ephemeral');
  assert.deepEqual(created.owners, ['adm-ann']);
  await ann.room(created.room).join();
  const listed = (await ann.browse('default')).find((room) => room.id === created.room);
  assert.deepEqual(listed, { id: created.room, name: 'Knitting', kind: 'ephemeral', topic: 'wool', users: 1 });
  await assert.rejects(ann.createRoom({ name: 'knitting', kind: 'private' }),
    (error) => error instanceof DinoError && error.name === 'ROOM_EXISTS'
      && error.message === "a room named 'knitting' exists in channel 'default'");
});

test("renameRoom() reaches the room's 'renamed' listeners; removeRoom() its 'removed' ones, and the room is no longer followed", async () => {
  const owner = client('adm-owner');
  const guest = client('adm-guest');
  await owner.connect();
  await guest.connect();
  const { room: id } = await owner.createRoom({ name: 'Pottery', kind: 'ephemeral' });
  const room = guest.room(id);
  await room.join();

  await assert.rejects(guest.renameRoom(id, 'Mine now'), (error) => error instanceof DinoError && error.name === 'NOT_ALLOWED');
  const renamed = next(room, 'renamed');
  assert.deepEqual(await owner.renameRoom(id, 'Ceramics'), { room: id, name: 'Ceramics' });
  assert.deepEqual(await renamed, { room: id, name: 'Ceramics' });

  const removed = next(room, 'removed');
  await owner.removeRoom(id);
  assert.deepEqual(await removed, { room: id, reason: 'room removed' });
  assert.equal(room.joined, false);
  assert.deepEqual(await guest.rooms(), []);
});

test('setRoomAcl() is for the owner; roomAcl() answers the rules as stored', async () => {
  const owner = client('adm-acl-owner');
  const guest = client('adm-acl-guest');
  await owner.connect();
  await guest.connect();
  const { room: id } = await owner.createRoom({ name: 'Quiet corner', kind: 'ephemeral' });
  await assert.rejects(guest.setRoomAcl(id, { message: 'deny' }),
    (error) => error instanceof DinoError && error.name === 'NOT_ALLOWED');
  assert.deepEqual(await owner.setRoomAcl(id, { message: ' role = speaker ' }), { room: id, rules: { message: 'role=speaker' } });
  assert.deepEqual(await guest.roomAcl(id), { room: id, rules: { message: 'role=speaker' } });
});

