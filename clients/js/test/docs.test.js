// Runs the examples of docs/js-sdk.md marked ```js run against a real node: each as an ES module of its own
// (so `import ... from '@dino/client'` resolves to this package), with `fetchToken(user)` minting a test token
// and ws://localhost:8080/ws pointing at the node. An example passes when it exits 0 on its own.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GatewayNode, REPO } from './support/gateway.js';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(REPO, 'docs/js-sdk.md');
const OUT = join(PACKAGE, 'target/doc-examples');
const examples = [...readFileSync(DOC, 'utf8').matchAll(/^```js run\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i + 1,
  code: m[1],
  line: readFileSync(DOC, 'utf8').slice(0, m.index).split('\n').length,
}));

let node;
before(async () => {
  node = await GatewayNode.start();
});
after(async () => {
  await node?.close();
});

test('docs/js-sdk.md has runnable examples', () => {
  assert.ok(examples.length >= 4, `found ${examples.length}`);
});

for (const example of examples) {
  test(`docs/js-sdk.md example ${example.index} (line ${example.line}) runs`, async (t) => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, `example-${example.index}.mjs`);
    const preamble = [
      "import { WebSocket as DocsTestWebSocket } from 'ws';",
      "import { token as docsTestToken } from '../../test/support/gateway.js';",
      'globalThis.WebSocket ??= DocsTestWebSocket;',
      'globalThis.fetchToken = async (user) => docsTestToken(user);',
      '',
    ].join('\n');
    writeFileSync(file, preamble + example.code.replaceAll('ws://localhost:8080/ws', node.url));
    const { code, stdout, stderr } = await new Promise((resolve) => {
      execFile(process.execPath, [file], { cwd: PACKAGE, timeout: 20_000 }, (error, out, err) =>
        resolve({ code: error ? (error.code ?? error.signal) : 0, stdout: out, stderr: err }));
    });
    assert.equal(code, 0, `example ${example.index} failed:\n${stdout}\n${stderr}`);
    assert.ok(stdout.trim().length > 0, 'the example printed nothing');
    t.diagnostic(stdout.trim());
  });
}
