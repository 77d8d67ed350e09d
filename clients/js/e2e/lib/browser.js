// Headless Chromium (Debian's chromium package; Playwright cannot download browsers here) driven by
// playwright-core, and helpers that read the demo page through its data-testid attributes.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.DINO_CHROMIUM ?? '/usr/bin/chromium';
export const TARGET = join(dirname(fileURLToPath(import.meta.url)), '..', 'target');
/** How long a page may take to show what a test waits for. */
export const DEADLINE = 20_000;

/** Launches Chromium; every context it opens has a fresh profile (Playwright's own temporary user-data-dir). */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (./dino test does; or apt-get install chromium), `
      + 'or set DINO_CHROMIUM to a Chromium binary');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,  // --no-sandbox: tests run as root in containers
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens the demo page of `node` in a new context (its own cookies and storage, like another browser) and
 * logs in as `user`; resolves once it is connected and in the lobby.
 * @param {string} [query] more URL parameters, e.g. 'ttl=2'
 */
export async function openChat(browser, node, user, query = '') {
  const context = await browser.newContext({ viewport: { width: 1100, height: 640 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // a node that is down refuses the page's reconnect attempts: expected in restart tests
    if (message.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.problems = problems;
  await page.goto(`${node.demoUrl}?user=${encodeURIComponent(user)}${query ? `&${query}` : ''}`);
  await waitForState(page, 'connected');
  await page.locator('[data-testid="room"][data-name="lobby"]').waitFor({ timeout: DEADLINE });
  return page;
}

/** Waits until the connection indicator shows one of `states`. */
export async function waitForState(page, ...states) {
  await page.waitForFunction(
    (wanted) => wanted.includes(document.querySelector('[data-testid="state"]')?.dataset.state),
    states, { timeout: DEADLINE });
}

/** The bodies of the messages the open conversation shows, in order. */
export function bodies(page) {
  return page.$$eval('[data-testid="message-body"]', (nodes) => nodes.map((node) => node.textContent));
}

/** Waits until the open conversation shows exactly `expected` (in this order), or fails with what it shows. */
export async function waitForBodies(page, expected, what = 'messages') {
  try {
    await page.waitForFunction((wanted) => {
      const shown = [...document.querySelectorAll('[data-testid="message-body"]')].map((node) => node.textContent);
      return JSON.stringify(shown) === JSON.stringify(wanted);
    }, expected, { timeout: DEADLINE });
  } catch (error) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, the page shows ${JSON.stringify(await bodies(page))}`
      + ` (state ${await page.getAttribute('[data-testid="state"]', 'data-state')}; ${page.problems.join('; ')})`);
  }
}

/**
 * Types and sends a message in the open conversation; resolves once the input is cleared (the message was
 * stored), fails with the page's error when it was refused.
 */
export async function send(page, text) {
  await page.fill('[data-testid="message-input"]', text);
  await page.click('[data-testid="send-button"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="message-input"]').value === ''
    || !document.querySelector('[data-testid="send-error"]').hidden, null, { timeout: DEADLINE });
  const error = page.locator('[data-testid="send-error"]');
  if (await error.isVisible()) throw new Error(`sending '${text}' failed: ${await error.textContent()}`);
}

/** Saves a screenshot under target/. */
export async function screenshot(page, name) {
  mkdirSync(TARGET, { recursive: true });
  const path = join(TARGET, name);
  await page.screenshot({ path });
  return path;
}
