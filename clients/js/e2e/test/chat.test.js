// Two people chat through the demo page on one node (memory engine), and a page whose token expired gets a
// new one through the SDK's getToken() when it reconnects.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEADLINE, bodies, launch, openChat, screenshot, send, waitForBodies, waitForState } from '../lib/browser.js';
import { gatewayNode } from '../lib/servers.js';

describe('the demo page on one node', () => {
  let node;
  let browser;

  before(async () => {
    [node, browser] = await Promise.all([gatewayNode(), launch()]);
  });

  after(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('lets two people chat: room messages, presence, private messages, history on join', async () => {
    const alice = await openChat(browser, node, 'alice');
    await send(alice, 'hello, is anyone here?');

    // bob comes later: he sees the history, both see each other in the member list
    const bob = await openChat(browser, node, 'bob');
    await waitForBodies(bob, ['hello, is anyone here?'], 'bob sees the history on join');
    await alice.locator('[data-testid="member"][data-user="bob"]').waitFor({ timeout: DEADLINE });
    await alice.locator('[data-testid="notice"]', { hasText: 'bob joined' }).waitFor({ timeout: DEADLINE });
    await bob.locator('[data-testid="member"][data-user="alice"]').waitFor({ timeout: DEADLINE });

    await send(bob, 'hi alice! bob here');
    await send(alice, 'welcome, bob. Dino keeps the history for latecomers.');
    const conversation = ['hello, is anyone here?', 'hi alice! bob here',
      'welcome, bob. Dino keeps the history for latecomers.'];
    await waitForBodies(alice, conversation, 'alice');
    await waitForBodies(bob, conversation, 'bob');

    // a private message: alice clicks bob in the member list
    await alice.click('[data-testid="member"][data-user="bob"]');
    await send(alice, 'psst: this one is just for you');
    await waitForBodies(alice, ['psst: this one is just for you'], 'alice\'s private conversation');
    await bob.locator('[data-testid="dm"][data-name="alice"]').waitFor({ timeout: DEADLINE });
    await bob.click('[data-testid="dm"][data-name="alice"]');
    await waitForBodies(bob, ['psst: this one is just for you'], 'bob\'s private conversation');
    await send(bob, 'got it, thanks');
    await waitForBodies(alice, ['psst: this one is just for you', 'got it, thanks'], 'alice\'s private conversation');

    // another room
    await bob.fill('[data-testid="room-input"]', 'random');
    await bob.click('[data-testid="join-button"]');
    await bob.locator('[data-testid="room"][data-name="random"]').waitFor({ timeout: DEADLINE });
    await send(bob, 'anyone in #random?');
    await waitForBodies(bob, ['anyone in #random?'], 'bob in #random');

    await bob.click('[data-testid="room"][data-name="lobby"]');
    await alice.click('[data-testid="room"][data-name="lobby"]');
    await send(alice, 'see you in #random later');
    await waitForBodies(bob, [...conversation, 'see you in #random later'], 'bob back in the lobby');
    await waitForBodies(alice, [...conversation, 'see you in #random later'], 'alice back in the lobby');
    const shot = await screenshot(alice, 'demo.png');
    console.log(`screenshot: ${shot}`);

    // bob leaves: alice sees him go
    await bob.context().close();
    await alice.locator('[data-testid="notice"]', { hasText: 'bob left' }).waitFor({ timeout: DEADLINE });
    await alice.locator('[data-testid="member"][data-user="bob"]').waitFor({ state: 'detached', timeout: DEADLINE });
    assert.deepEqual(alice.problems, []);
    await alice.context().close();
  });

  it('refuses a name the protocol does not allow, and leaves and rejoins rooms', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(node.demoUrl);
    await page.fill('[data-testid="name-input"]', 'system');
    await page.click('[data-testid="login-button"]');
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor({ timeout: DEADLINE });
    assert.match(await error.textContent(), /INVALID_VALUE \(4003\): user id 'system' is reserved/);
    await context.close();

    const frank = await openChat(browser, node, 'frank', 'rooms=garden');
    await frank.locator('[data-testid="room"][data-name="garden"]').waitFor({ timeout: DEADLINE });
    await frank.click('[data-testid="room"][data-name="garden"]');
    await send(frank, 'first visit');
    await waitForBodies(frank, ['first visit'], 'frank in #garden');
    await frank.click('[data-testid="leave-button"]');
    await frank.locator('[data-testid="room"][data-name="garden"]').waitFor({ state: 'detached', timeout: DEADLINE });

    await frank.fill('[data-testid="room-input"]', 'garden');
    await frank.click('[data-testid="join-button"]');
    await waitForBodies(frank, ['first visit'], 'frank back in #garden: the history');
    await send(frank, 'second visit');
    await waitForBodies(frank, ['first visit', 'second visit'], 'frank in #garden again');
    assert.equal(await frank.evaluate(() => window.dinoDemo.duplicateDeliveries), 0);
    assert.deepEqual(frank.problems, []);
    await frank.context().close();
  });

  it('refreshes an expired token through getToken() when it reconnects', async () => {
    const carol = await openChat(browser, node, 'carol', 'ttl=3');
    assert.equal(await carol.evaluate(() => window.dinoDemo.tokenFetches), 1);
    // the node restarts after the token has expired (clock-skew is 0 in the test config)
    await carol.waitForFunction(() => Date.now() > window.dinoDemo.token.expiresAt, null, { timeout: 5000 });
    await node.stop();
    await waitForState(carol, 'reconnecting');
    await node.start();
    // the memory engine starts a new epoch: the lobby cannot be recovered, the page says so and reloads its history
    await waitForState(carol, 'not-recovered');
    await carol.locator('[data-testid="notice"]', { hasText: 'history reloaded' }).waitFor({ timeout: DEADLINE });
    const after = await carol.evaluate(() => ({ fetches: window.dinoDemo.tokenFetches, user: window.dinoDemo.client.user }));
    assert.ok(after.fetches >= 2, `a new token was fetched (${after.fetches} fetches)`);
    assert.equal(after.user, 'carol');
    const before = await bodies(carol);  // the lobby's history from the first test
    await send(carol, 'still here with a fresh token');
    await waitForBodies(carol, [...before, 'still here with a fresh token'], 'carol after the restart');
    assert.deepEqual(carol.problems, []);
    await carol.context().close();
  });
});
