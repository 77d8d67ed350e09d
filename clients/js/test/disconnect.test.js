import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconnectsAfter } from '../src/client.js';

test('disconnect: the auth timeout means a busy node, so the client comes back; other refusals are final', () => {
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 4010, name: 'NOT_AUTHENTICATED', reconnect: false }), true);
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 4090, name: 'DISCONNECTED', reconnect: false }), false);
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 5031, name: 'SHUTTING_DOWN', reconnect: true }), true);
  assert.equal(reconnectsAfter({ event: 'disconnect', code: 4080, name: 'SLOW_CONSUMER' }), false);
});
