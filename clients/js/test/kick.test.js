// kick() and the room's 'kicked' event, against a real gateway node: the kicked user's client stops following
// the room, the others keep it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next, until } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

test("kick() takes the user out: every client in the room gets 'kicked', the kicked one stops following the room", async () => {
  const op = client('kick-op', ['globalmod']);
  const bob = client('kick-bob');
  const stranger = client('kick-stranger');
  await Promise.all([op.connect(), bob.connect(), stranger.connect()]);
  const opRoom = op.room('kick-hall');
  const bobRoom = bob.room('kick-hall');
  const strangerRoom = stranger.room('kick-hall');
  await opRoom.join();
  await bobRoom.join();
  await strangerRoom.join();

  await assert.rejects(stranger.kick('kick-hall', 'kick-bob'), (error) => error instanceof DinoError
    && error.name === 'NOT_ALLOWED' && error.message === "not allowed to kick in room 'kick-hall': needs to be an owner "
      + 'or moderator of the room or an owner or admin of its channel');

  const toBob = next(bobRoom, 'kicked');
  const toStranger = next(strangerRoom, 'kicked');
  assert.deepEqual(await op.kick('kick-hall', 'kick-bob', 'flooding'), { room: 'kick-hall', user: 'kick-bob', sessions: 1 });
  const expected = { room: 'kick-hall', user: 'kick-bob', by: 'kick-op', reason: 'flooding' };
  assert.deepEqual(await toBob, expected);
  assert.deepEqual(await toStranger, expected);
  assert.equal(bobRoom.joined, false);
  assert.equal(strangerRoom.joined, true, 'a kick of someone else leaves the room followed');
  await until(async () => !(await opRoom.members()).includes('kick-bob'), { what: 'bob out of the room' });
  await assert.rejects(bobRoom.send('still here?'), (error) => error instanceof DinoError && error.name === 'NOT_IN_ROOM');

  const noReason = next(strangerRoom, 'kicked');
  await bobRoom.join();
  assert.equal((await op.kick('kick-hall', 'kick-bob')).sessions, 1);
  assert.deepEqual(await noReason, { room: 'kick-hall', user: 'kick-bob', by: 'kick-op', reason: '' });
});
