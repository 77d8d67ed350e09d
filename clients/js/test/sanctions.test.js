// ban()/unban()/bans() and mute()/unmute()/mutes() with the room's 'banned', 'muted', 'unmuted' and the client's
// 'unbanned' events, against a real gateway node: a banned user's client stops following the room and is told
// until when on a refused join; a muted user's sends fail with MUTED and retryAfterMs; a global ban ends the session
// for good (no reconnect).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DinoError } from '../src/dino.js';
import { sharedNode, next, until } from './support/gateway.js';

const shared = sharedNode();
const client = shared.client;

test("ban() takes the user out: the room gets 'banned', the banned client stops following it and is refused until unban()", async () => {
  const op = client('ban-op', ['globalmod']);
  const bob = client('ban-bob');
  const other = client('ban-other');
  await Promise.all([op.connect(), bob.connect(), other.connect()]);
  const bobRoom = bob.room('ban-hall');
  const otherRoom = other.room('ban-hall');
  await op.room('ban-hall').join();
  await bobRoom.join();
  await otherRoom.join();

  await assert.rejects(other.ban('ban-bob', { room: 'ban-hall' }), (error) => error instanceof DinoError
    && error.name === 'NOT_ALLOWED');
  const toBob = next(bobRoom, 'banned');
  const toOther = next(otherRoom, 'banned');
  const result = await op.ban('ban-bob', { room: 'ban-hall' }, { duration: '10m', reason: 'flooding' });
  assert.equal(result.sessions, 1);
  assert.ok(result.until > Date.now() + 590_000);
  const expected = { room: 'ban-hall', user: 'ban-bob', by: 'ban-op', reason: 'flooding', until: result.until, scope: 'room' };
  assert.deepEqual(await toBob, expected);
  assert.deepEqual(await toOther, expected);
  assert.equal(bobRoom.joined, false);
  assert.equal(otherRoom.joined, true);

  await assert.rejects(bobRoom.join(), (error) => error instanceof DinoError && error.name === 'BANNED'
    && error.details.until === result.until && error.details.reason === 'flooding');
  const bans = await op.bans({ room: 'ban-hall' });
  assert.deepEqual(bans.map((ban) => [ban.user, ban.by, ban.until]), [['ban-bob', 'ban-op', result.until]]);

  const unbanned = new Promise((resolve) => bob.on('unbanned', resolve));
  assert.equal((await op.unban('ban-bob', { room: 'ban-hall' })).removed, true);
  assert.deepEqual(await unbanned, { user: 'ban-bob', scope: 'room', target: 'ban-hall' });
  await bobRoom.join();
});

test("mute() refuses the user's sends with MUTED and retryAfterMs while others still send; unmute() lifts it", async () => {
  const op = client('mute-op', ['globalmod']);
  const carl = client('mute-carl');
  await Promise.all([op.connect(), carl.connect()]);
  const opRoom = op.room('mute-hall');
  const carlRoom = carl.room('mute-hall');
  await opRoom.join();
  await carlRoom.join();

  const muted = next(carlRoom, 'muted');
  const { until: ends } = await op.mute('mute-hall', 'mute-carl', { duration: '5m', reason: 'calm down' });
  assert.deepEqual(await muted, { room: 'mute-hall', user: 'mute-carl', by: 'mute-op', reason: 'calm down', until: ends });
  await assert.rejects(carlRoom.send('let me speak'), (error) => error instanceof DinoError && error.name === 'MUTED'
    && error.code === 4039 && error.details.until === ends && error.details.retryAfterMs > 290_000);
  await opRoom.send('I still can');
  assert.deepEqual((await op.mutes('mute-hall')).map((m) => m.user), ['mute-carl']);

  const unmuted = next(carlRoom, 'unmuted');
  assert.equal((await op.unmute('mute-hall', 'mute-carl')).removed, true);
  assert.deepEqual(await unmuted, { room: 'mute-hall', user: 'mute-carl', by: 'mute-op' });
  await carlRoom.send('thanks');
});

test('a global ban disconnects the client for good, and a new connect is refused with BANNED', async () => {
  const op = client('global-op', ['globalmod']);
  const dana = client('global-dana');
  await Promise.all([op.connect(), dana.connect()]);
  const disconnected = new Promise((resolve) => dana.on('disconnected', resolve));

  const result = await op.ban('global-dana', { global: true }, { reason: 'spam' });
  assert.equal(result.sessions, 1);
  const event = await disconnected;
  assert.equal(event.code, 4038);
  assert.equal(event.reconnect, false);
  await until(() => dana.state === 'closed', { what: 'the banned client closed' });

  const again = client('global-dana');
  await assert.rejects(again.connect(), (error) => error instanceof DinoError && error.code === 4038);
  assert.equal(again.state, 'closed');
  assert.equal((await op.unban('global-dana', { global: true })).removed, true);
  await client('global-dana').connect();
});
