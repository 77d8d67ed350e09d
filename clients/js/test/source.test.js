// The gateway serves src/ to browsers as native ES modules, without a build step: every import must be a
// relative path with its .js extension to a file that exists, and nothing may come from Node.js.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

test('src/ is loadable by a browser: relative .js imports only, no Node.js modules or globals', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes('dino.js'));
  for (const file of files) {
    const code = readFileSync(join(SRC, file), 'utf8');
    for (const [, spec] of code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      assert.match(spec, /^\.\/[\w-]+\.js$/, `${file} imports ${spec}`);
      assert.ok(existsSync(join(SRC, spec)), `${file} imports missing ${spec}`);
    }
    assert.doesNotMatch(code, /\brequire\(|\bprocess\.|\bBuffer\b|from ['"]node:/, `${file} uses Node.js`);
  }
});

test('dino.js exports the whole API', async () => {
  const api = await import('../src/dino.js');
  for (const name of ['DinoClient', 'Room', 'DinoError', 'TimeoutError', 'NotConnectedError', 'ClosedError', 'ClientCodes']) {
    assert.ok(api[name], name);
  }
  assert.deepEqual({ ...api.ClientCodes }, { TIMEOUT: 901, NOT_CONNECTED: 902, CLOSED: 903 });
});
