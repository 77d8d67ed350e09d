import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../src/backoff.js';

const limits = { minDelayMs: 250, maxDelayMs: 10_000 };

test('backoff: between the floor and a ceiling that doubles per attempt up to the maximum', () => {
  assert.equal(backoffDelay(0, limits, () => 0), 250);
  assert.equal(backoffDelay(0, limits, () => 1), 500);
  assert.equal(backoffDelay(1, limits, () => 1), 1000);
  assert.equal(backoffDelay(3, limits, () => 1), 4000);
  assert.equal(backoffDelay(10, limits, () => 1), 10_000);
  assert.equal(backoffDelay(5000, limits, () => 1), 10_000);
  assert.equal(backoffDelay(2, limits, () => 0.5), 250 + 0.5 * (2000 - 250));
});

test('backoff: full jitter spreads the delays of one attempt', () => {
  const delays = new Set(Array.from({ length: 50 }, () => Math.round(backoffDelay(4, limits))));
  assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
  for (const d of delays) assert.ok(d >= 250 && d <= 8000, String(d));
});
