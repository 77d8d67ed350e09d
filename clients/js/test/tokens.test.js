// Token expiry, refresh() and revocation against a real gateway node: the 'expiring' event, the automatic
// refresh with a token from getToken(), TOKEN_EXPIRED without it, and TOKEN_REVOKED ending the client for good.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient, DinoError } from '../src/dino.js';
import { GatewayNode, next, token, until } from './support/gateway.js';

let node;
const clients = [];

before(async () => {
  // warned 2 s ahead, closed at exp itself: a 3 s token is warned at once or within a second
  node = await GatewayNode.start({ settings: { 'dino.auth.expiry-warning': 'PT2S', 'dino.auth.clock-skew': 'PT0S' } });
});

after(async () => {
  for (const c of clients) c.disconnect();
  await node?.close();
});

function client(getToken, options = {}) {
  const c = new DinoClient({ url: node.url, getToken, WebSocket, timeoutMs: 5000,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 }, ...options });
  clients.push(c);
  return c;
}

test("an expiring token is refreshed in place with getToken()'s next token, and the connection outlives it", async () => {
  let asked = 0;
  const firstExpiry = (Math.floor(Date.now() / 1000) + 3) * 1000;
  const c = client(() => token('tok-auto', { ttlSeconds: asked++ === 0 ? 3 : 3600 }));
  const expiring = next(c, 'expiring');
  const refreshed = next(c, 'refreshed');
  const disconnects = [];
  c.on('disconnected', (event) => disconnects.push(event));
  await c.connect();
  const warning = await expiring;
  assert.ok(warning.expiresAt >= firstExpiry - 1000 && warning.expiresAt <= firstExpiry + 1000, JSON.stringify(warning));
  assert.ok(warning.in >= 0 && warning.in <= 2000, JSON.stringify(warning));
  const { expiresAt } = await refreshed;
  assert.ok(expiresAt > Date.now() + 3_000_000, 'the new token lives an hour');
  assert.equal(asked, 2);

  await until(() => Date.now() > warning.expiresAt + 1000, { what: 'past the first token\'s expiry' });
  assert.ok((await c.ping()).ts > 0);
  assert.equal(c.state, 'connected');
  assert.deepEqual(disconnects, []);
});

test('refresh() replaces the token; another user\'s token is refused and the session stays', async () => {
  const c = client(() => token('tok-manual'));
  await c.connect();
  const later = token('tok-manual', { ttlSeconds: 7200 });
  const { expiresAt } = await c.refresh(later);
  assert.equal(expiresAt, JSON.parse(Buffer.from(later.split('.')[1], 'base64url').toString()).exp * 1000);
  await assert.rejects(c.refresh(token('tok-someone-else')), (error) => error instanceof DinoError
    && error.name === 'NOT_ALLOWED' && error.message === 'the token is for another user: a session keeps its user');
  await assert.rejects(c.refresh(token('tok-manual', { ttlSeconds: -60 })),
    (error) => error instanceof DinoError && error.name === 'TOKEN_EXPIRED');
  assert.ok((await c.ping()).ts > 0);
  assert.equal(c.state, 'connected');
});

test('without autoRefresh the session is closed at expiry with TOKEN_EXPIRED and reconnects with a new token', async () => {
  let asked = 0;
  const c = client(() => token('tok-expires', { ttlSeconds: asked++ === 0 ? 2 : 3600 }), { autoRefresh: false });
  const expiring = next(c, 'expiring');
  const disconnected = next(c, 'disconnected');
  const reconnected = next(c, 'connected', { filter: (event) => event.reconnected });
  await c.connect();
  await expiring;
  const event = await disconnected;
  assert.equal(event.code, 4012);
  assert.equal(event.reconnect, true);
  await reconnected;
  assert.equal(asked, 2);
});

test('a revoked token ends the client for good: TOKEN_REVOKED, no reconnect', async () => {
  const issuedBefore = token('tok-revoked');
  const c = client(() => token('tok-revoked'));
  await c.connect();
  const disconnected = next(c, 'disconnected');
  await node.revokeTokens('tok-revoked');
  const event = await disconnected;
  assert.equal(event.code, 4014);
  assert.equal(event.reconnect, false);
  await until(() => c.state === 'closed', { what: 'the client closed' });

  // a connect with a token issued before the revocation is refused, and not retried
  const stale = client(() => issuedBefore);
  await assert.rejects(stale.connect(), (error) => error instanceof DinoError && error.name === 'TOKEN_REVOKED');
  assert.equal(stale.state, 'closed');
});
