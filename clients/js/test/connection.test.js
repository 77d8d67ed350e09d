// Edge cases of the socket's life that need no gateway: a peer that accepts TCP but never answers the upgrade.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { ClosedError, DinoClient, TimeoutError } from '../src/dino.js';

async function silentServer() {
  const sockets = [];
  const server = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const connected = new Promise((r) => server.once('connection', r));
  return {
    url: `ws://127.0.0.1:${server.address().port}/ws`,
    connected,
    close: () => { sockets.forEach((s) => s.destroy()); server.close(); },
  };
}

test('disconnect() while the WebSocket is still opening rejects connect() and leaves nothing behind', async () => {
  const server = await silentServer();
  try {
    const client = new DinoClient({ url: server.url, getToken: () => 'token', WebSocket });
    const connecting = client.connect();
    await server.connected;
    client.disconnect();
    await assert.rejects(connecting, ClosedError);
    await new Promise((r) => setImmediate(r));
    assert.equal(client.state, 'disconnected');
  } finally {
    server.close();
  }
});

test('an opening that takes longer than timeoutMs fails the attempt with TimeoutError', async () => {
  const server = await silentServer();
  try {
    const client = new DinoClient({ url: server.url, getToken: () => 'token', WebSocket, timeoutMs: 200, reconnect: false });
    await assert.rejects(client.connect(), TimeoutError);
    assert.equal(client.state, 'closed');
  } finally {
    server.close();
  }
});
