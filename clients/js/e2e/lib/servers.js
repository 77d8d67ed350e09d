// Real servers for the end-to-end tests: gateway nodes from gateway/target/dino-gateway.jar (with the JDK that
// `./dino which-java` finds) and redis-server, each on a free loopback port, each stopped by the test that
// started it. A missing jar, JDK or redis-server fails the test with what to do about it.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const JAR = join(ROOT, 'gateway/target/dino-gateway.jar');
/** The secret of the generated configs (tests only). */
const SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456';

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Every process started here, killed when the test process exits (a failed test must not leave servers behind). */
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

let javaBinary;
function java() {
  if (!javaBinary) {
    let home;
    try {
      home = execFileSync(join(ROOT, 'dino'), ['which-java'], { encoding: 'utf8' }).trim();
    } catch (error) {
      throw new Error(`no JDK 21+ found by ./dino which-java: ${error.stderr || error.message}`);
    }
    javaBinary = join(home, 'bin', 'java');
  }
  return javaBinary;
}

/**
 * Starts a process and resolves once a line of its output matches `ready`; rejects (and kills it) when it exits
 * first or not within `timeoutMs`, with the end of its output.
 */
function startProcess(command, args, ready, timeoutMs, name) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let output = '';
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${why}; its output ended with:\n${output.slice(-3000)}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!settled && ready.test(output)) {
        settled = true;
        clearTimeout(timer);
        resolveStart({ child, output: () => output });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('error', (error) => fail(`could not be started (${error.message})`));
    child.on('exit', (code, signal) => fail(`exited early (${signal ?? code})`));
  });
}

function stopProcess(child, signal = 'SIGTERM', timeoutMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill(signal);
  });
}

/** A redis-server on a free port, without persistence. */
export async function startRedis() {
  const port = await freePort();
  let started;
  try {
    started = await startProcess('redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      /Ready to accept connections/, 15_000, 'redis-server');
  } catch (error) {
    if (/ENOENT/.test(error.message)) {
      throw new Error('redis-server is not installed (./dino test installs it; or: apt-get install redis-server)');
    }
    throw error;
  }
  return { port, uri: `redis://127.0.0.1:${port}`, stop: () => stopProcess(started.child) };
}

/**
 * A gateway node with the demo page and dev tokens on. It can be stopped and started again on the same port
 * (its clients then reconnect to it).
 * @param {{engine?: 'memory'|'redis', redisUri?: string, nodeId?: string, port?: number}} options
 */
export async function gatewayNode(options = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first (mvn -B -pl gateway -am -DskipTests package)`);
  }
  const port = options.port ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dino-e2e-'));
  const config = join(dir, 'node.yaml');
  const lines = [
    'server:',
    '  host: 127.0.0.1',
    `  port: ${port}`,
    'dino:',
    `  node-id: "${options.nodeId ?? `e2e-${port}`}"`,
    `  engine: ${options.engine ?? 'memory'}`,
    '  dev-mode: true',
    '  demo:',
    '    enabled: true',
    '  auth:',
    `    hmac-secrets: ["${SECRET}"]`,
    '    token-ttl: PT1H',
    '    clock-skew: PT0S',  // an expired token is refused at once, not 30 s later
    '  grpc:',
    '    port: 0',
    '  shutdown:',
    '    drain-period: PT0S',
    '    grpc-grace: PT1S',
  ];
  if (options.redisUri) lines.push('  redis:', `    uri: "${options.redisUri}"`);
  writeFileSync(config, lines.join('\n') + '\n');

  let running = null;
  const node = {
    port,
    url: `http://127.0.0.1:${port}`,
    demoUrl: `http://127.0.0.1:${port}/demo/`,
    async start() {
      running = await startProcess(java(), ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', JAR, '--config', config],
        /Dino node \S+ is up/, 60_000, `gateway node on port ${port}`);
      return node;
    },
    /** Stops it: gracefully with SIGTERM (its sessions are told to reconnect), or SIGKILL (a crash). */
    async stop(signal = 'SIGTERM') {
      if (running) await stopProcess(running.child, signal);
      running = null;
    },
    output: () => running?.output() ?? '',
  };
  return node.start();
}
