// The admin console in headless Chromium: an operator logs in, finds a user, kicks them from a room, and the
// user's own demo page (a second browser) shows them removed; a non-operator is refused at login.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { token } from '../../test/support/gateway.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEADLINE, TARGET, launch, openChat, send, waitForBodies } from '../lib/browser.js';
import { gatewayNode } from '../lib/servers.js';

/** Saves a screenshot under target/: of the whole page, or (a modal dialog open) of the viewport. */
async function screenshot(page, name, fullPage = true) {
  mkdirSync(TARGET, { recursive: true });
  const path = join(TARGET, name);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Opens the console in a fresh context (its own sessionStorage) and logs in with `credential`. */
async function openConsole(browser, node, credential) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
  page.problems = problems;
  await page.goto(node.adminUrl);
  await page.fill('[data-testid="login-credential"]', credential);
  await page.click('[data-testid="login-button"]');
  return page;
}

describe('the admin console', () => {
  let node;
  let browser;

  before(async () => {
    [node, browser] = await Promise.all([gatewayNode({ nodeId: 'node-a' }), launch()]);
  });

  after(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('lets an operator find a user and kick them from a room, which their own page shows at once', async () => {
    const bob = await openChat(browser, node, 'bob');
    const alice = await openChat(browser, node, 'alice');
    await send(bob, 'buy cheap watches!!!');
    await send(alice, 'please stop, bob');
    await waitForBodies(bob, ['buy cheap watches!!!', 'please stop, bob'], 'bob');

    const admin = await openConsole(browser, node, token('ops', { roles: ['superuser'] }));
    await admin.locator('[data-testid="node"][data-node="node-a"]').waitFor({ timeout: DEADLINE });
    assert.match(await admin.textContent('[data-testid="who"]'), /^ops · superuser · via node node-a$/);

    // find the user, then the room they are in
    await admin.fill('[data-testid="user-input"]', 'bob');
    await admin.press('[data-testid="user-input"]', 'Enter');
    const bobsRooms = admin.locator('[data-testid="user-rooms"]');
    await bobsRooms.getByText('lobby').waitFor({ timeout: DEADLINE });
    await bobsRooms.getByText('lobby').click();
    const member = admin.locator('[data-testid="member"][data-user="bob"]');
    await member.waitFor({ timeout: DEADLINE });
    await admin.locator('[data-testid="member"][data-user="alice"]').waitFor({ timeout: DEADLINE });
    await admin.locator('[data-testid="history-message"]', { hasText: 'buy cheap watches' }).waitFor({ timeout: DEADLINE });
    await admin.locator('[data-testid="session"][data-user="bob"]').waitFor({ timeout: DEADLINE });
    const shot = await screenshot(admin, 'admin-console.png');
    console.log(`screenshot: ${shot}`);

    // kick, with a reason, behind a confirm dialog
    await member.locator('[data-testid="kick"]').click();
    await admin.locator('[data-testid="action-dialog"]').waitFor({ timeout: DEADLINE });
    await admin.fill('[data-testid="action-reason"]', 'spamming');
    await screenshot(admin, 'admin-console-kick-dialog.png', false);
    await admin.click('[data-testid="action-confirm"]');
    await admin.locator('[data-testid="notice"]', { hasText: 'Kicked bob from lobby: 1 session(s) removed.' })
      .waitFor({ timeout: DEADLINE });

    // bob's own page: told why, and the room is gone from his list; alice sees him go
    await bob.locator('[data-testid="notice"]', { hasText: 'You were kicked from #lobby by ops: spamming' })
      .waitFor({ timeout: DEADLINE });
    await bob.locator('[data-testid="room"][data-name="lobby"]').waitFor({ state: 'detached', timeout: DEADLINE });
    await alice.locator('[data-testid="notice"]', { hasText: 'bob was kicked by ops: spamming' }).waitFor({ timeout: DEADLINE });
    // and the console's member list no longer lists him
    await member.waitFor({ state: 'detached', timeout: DEADLINE });
    await admin.locator('[data-testid="member"][data-user="alice"]').waitFor({ timeout: DEADLINE });
    await screenshot(admin, 'admin-console-after-kick.png');

    assert.deepEqual(admin.problems, []);
    assert.deepEqual(bob.problems, []);
    await Promise.all([admin.context().close(), bob.context().close(), alice.context().close()]);
  });

  it('refuses a user who is not an operator, and a credential that is neither token nor key, saying why', async () => {
    const mallory = await openConsole(browser, node, token('mallory'));
    const error = mallory.locator('[data-testid="login-error"]');
    await error.waitFor({ timeout: DEADLINE });
    assert.match(await error.textContent(), /^NOT_ALLOWED \(4030\): the admin console is for operators/);
    assert.equal(await mallory.locator('#console').isVisible(), false);

    await mallory.fill('[data-testid="login-credential"]', 'guess-what');
    await mallory.click('[data-testid="login-button"]');
    await mallory.locator('[data-testid="login-error"]', { hasText: 'INVALID_TOKEN (4011)' }).waitFor({ timeout: DEADLINE });
    assert.equal(await mallory.evaluate(() => sessionStorage.length), 0, 'a refused credential is not kept');
    await mallory.context().close();
  });
});
