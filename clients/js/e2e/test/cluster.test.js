// Two nodes sharing one Redis: pages on different nodes chat, and a page keeps its conversation across a
// restart of its node — what was sent while the node was down or starting is shown exactly once, in order.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEADLINE, bodies, launch, openChat, screenshot, send, waitForBodies, waitForState } from '../lib/browser.js';
import { gatewayNode, startRedis } from '../lib/servers.js';

describe('the demo page on two nodes (redis engine)', () => {
  let redis;
  let nodeA;
  let nodeB;
  let browser;

  before(async () => {
    redis = await startRedis();
    const options = { engine: 'redis', redisUri: redis.uri };
    [nodeA, nodeB, browser] = await Promise.all([
      gatewayNode({ ...options, nodeId: 'a' }), gatewayNode({ ...options, nodeId: 'b' }), launch()]);
  });

  after(async () => {
    await browser?.close();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.stop();
  });

  it('lets a page on node A and a page on node B chat', async () => {
    const alice = await openChat(browser, nodeA, 'alice');
    const bob = await openChat(browser, nodeB, 'bob');
    assert.equal(await alice.evaluate(() => window.dinoDemo.client.node), 'a');
    assert.equal(await bob.evaluate(() => window.dinoDemo.client.node), 'b');
    await alice.locator('[data-testid="member"][data-user="bob"]').waitFor({ timeout: DEADLINE });
    await bob.locator('[data-testid="member"][data-user="alice"]').waitFor({ timeout: DEADLINE });

    await send(alice, 'hello from node a');
    await send(bob, 'hello from node b');
    await waitForBodies(alice, ['hello from node a', 'hello from node b'], 'alice on a');
    await waitForBodies(bob, ['hello from node a', 'hello from node b'], 'bob on b');

    await bob.click('[data-testid="member"][data-user="alice"]');
    await send(bob, 'a private word across nodes');
    await alice.click('[data-testid="dm"][data-name="bob"]');
    await waitForBodies(alice, ['a private word across nodes'], 'alice\'s private conversation');
    assert.deepEqual([...alice.problems, ...bob.problems], []);
    await Promise.all([alice.context().close(), bob.context().close()]);
  });

  for (const [signal, how] of [['SIGTERM', 'a restart'], ['SIGKILL', 'a crash and restart']]) {
    it(`keeps a page's messages across ${how} of its node: none lost, none twice, in order`, async () => {
      await restartTest(signal);
    });
  }

  async function restartTest(signal) {
    const dave = await openChat(browser, nodeA, `dave-${signal}`);
    const erin = await openChat(browser, nodeB, `erin-${signal}`);
    await send(erin, `before the restart (${signal})`);
    await erin.locator('[data-testid="message-body"]', { hasText: `before the restart (${signal})` })
      .waitFor({ timeout: DEADLINE });
    const before = await bodies(erin);
    await waitForBodies(dave, before, 'dave before the restart');

    await nodeA.stop(signal);
    await waitForState(dave, 'reconnecting');
    await send(erin, 'while a is down 1');
    await send(erin, 'while a is down 2');
    await send(erin, 'while a is down 3');
    const restarting = nodeA.start();
    await send(erin, 'while a starts 1');
    await send(erin, 'while a starts 2');
    await restarting;
    await waitForState(dave, 'recovered');
    await send(erin, 'after the restart');

    const expected = [...before, 'while a is down 1', 'while a is down 2', 'while a is down 3',
      'while a starts 1', 'while a starts 2', 'after the restart'];
    await waitForBodies(erin, expected, 'erin');
    await waitForBodies(dave, expected, 'dave after the restart');
    if (signal === 'SIGTERM') console.log(`screenshot: ${await screenshot(dave, 'recovered.png')}`);
    // each message once: the page keeps them by id, and the SDK dropped duplicates by (epoch, offset)
    const ids = await dave.$$eval('[data-testid="message"]', (nodes) => nodes.map((node) => node.dataset.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(await dave.evaluate(() => window.dinoDemo.duplicateDeliveries), 0, 'the SDK delivered a message twice');
    const offsets = await dave.$$eval('[data-testid="message"]', (nodes) => nodes.map((node) => Number(node.dataset.offset)));
    assert.deepEqual(offsets, [...offsets].sort((x, y) => x - y));
    assert.equal(await dave.evaluate(() => window.dinoDemo.client.user), `dave-${signal}`);

    await send(dave, 'back, and nothing missing');
    await waitForBodies(erin, [...expected, 'back, and nothing missing'], 'erin sees dave again');
    assert.deepEqual([...dave.problems, ...erin.problems], []);
    await Promise.all([dave.context().close(), erin.context().close()]);
  }
});
