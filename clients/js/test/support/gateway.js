// Test fixtures: a real Dino gateway node (the built jar, in its own JVM), a real redis-server, and HS256
// tokens minted with node:crypto. Missing dependencies fail loudly: these tests never skip.

import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { WebSocket } from 'ws';
import { DinoClient } from '../../src/dino.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '../../../..');
export const GATEWAY_JAR = join(REPO, 'gateway/target/dino-gateway.jar');
export const SECRET = 'js-sdk-test-secret-js-sdk-test-secret-0123456789';
export const API_KEY = 'js-sdk-test-api-key';
const LOOPBACK = '127.0.0.1';

/** Every process started here, killed when the test process exits: a failed test must not leave servers behind. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

let javaBinary;

/** The java of `./dino which-java`. */
export function java() {
  if (!javaBinary) {
    let home;
    try {
      home = execFileSync(join(REPO, 'dino'), ['which-java'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (error) {
      throw new Error(`no JDK 21+ found by ./dino which-java: ${error.stderr || error.message}`);
    }
    javaBinary = join(home, 'bin', 'java');
  }
  return javaBinary;
}

/** A free loopback TCP port (free when asked; the node binds it a moment later). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Waits until `condition()` is truthy (it may be async), polling every `intervalMs`; fails after
 * `timeoutMs` with `what` in the message.
 */
export async function until(condition, { timeoutMs = 15_000, intervalMs = 20, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ': ' + last.message : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The promise of the next `event` of `emitter` (a DinoClient or Room), with a deadline. */
export function next(emitter, event, { timeoutMs = 15_000, filter = () => true } = {}) {
  return new Promise((resolveEvent, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no '${event}' event within ${timeoutMs} ms`)); }, timeoutMs);
    const off = emitter.on(event, (...args) => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      off();
      resolveEvent(args.length > 1 ? args : args[0]);
    });
  });
}

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** An HS256 token for `user`, valid for `ttlSeconds` (negative: already expired). */
export function token(user, { ttlSeconds = 3600, secret = SECRET, roles, attrs } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const head = base64url({ alg: 'HS256', typ: 'JWT' });
  const body = base64url({ sub: user, iat: now, exp: now + ttlSeconds, ...(roles ? { roles } : {}), ...(attrs ? { attrs } : {}) });
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function yamlConfig(settings) {
  // settings: dotted keys -> scalar or array of scalars
  const tree = {};
  for (const [key, value] of Object.entries(settings)) {
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts.at(-1)] = value;
  }
  const lines = ['# written by clients/js/test/support/gateway.js'];
  const render = (node, indent) => {
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        lines.push(`${indent}${key}:`);
        for (const item of value) lines.push(`${indent}  - ${JSON.stringify(String(item))}`);
      } else if (typeof value === 'object') {
        lines.push(`${indent}${key}:`);
        render(value, indent + '  ');
      } else {
        lines.push(`${indent}${key}: ${JSON.stringify(String(value))}`);
      }
    }
  };
  render(tree, '');
  return lines.join('\n') + '\n';
}

/** A gateway node in its own JVM. */
export class GatewayNode {
  /**
   * Starts a node on a free port.
   * @param {{engine?: 'memory' | 'redis', redisUri?: string, settings?: Record<string, unknown>, port?: number}} [options]
   */
  static async start(options = {}) {
    if (!existsSync(GATEWAY_JAR)) {
      throw new Error(`${GATEWAY_JAR} is missing: build it first (mvn -pl gateway -am -DskipTests package, or ./dino test)`);
    }
    const node = new GatewayNode(options, options.port ?? await freePort(), await freePort());
    await node.launch();
    return node;
  }

  constructor(options, port, grpcPort) {
    this.port = port;
    this.grpcPort = grpcPort;
    this.dir = mkdtempSync(join(tmpdir(), 'dino-js-node-'));
    this.logFile = join(this.dir, 'node.log');
    this.configFile = join(this.dir, 'dino.yaml');
    this.settings = {
      'server.host': LOOPBACK,
      'server.port': port,
      'dino.grpc.port': grpcPort,
      'dino.engine': options.engine ?? 'memory',
      'dino.auth.hmac-secrets': [SECRET],
      'dino.api-keys': [API_KEY],
      'dino.shutdown.drain-period': 'PT0S',
      'dino.shutdown.grpc-grace': 'PT1S',
      ...(options.redisUri ? { 'dino.redis.uri': options.redisUri } : {}),
      ...options.settings,
    };
    writeFileSync(this.configFile, yamlConfig(this.settings));
    this.process = null;
  }

  get url() {
    return `ws://${LOOPBACK}:${this.port}/ws`;
  }

  /**
   * Starts the JVM and waits until the node is ready. A node that exits because it could not reach Redis in
   * time (its connect timeout is dino.redis.command-timeout; seen on a loaded two-core machine) is started
   * again, twice at most; any other failure fails at once, with the node's log.
   */
  async launch() {
    for (let attempt = 1; ; attempt++) {
      try {
        await this._launchOnce();
        return;
      } catch (error) {
        if (attempt === 3 || !/cannot connect to Redis/.test(error.message)) throw error;
      }
    }
  }

  async _launchOnce() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DINO_') && !k.startsWith('SERVER_')));
    const out = openSync(this.logFile, 'a');
    // C1 only and the serial collector: a node starts in about half the time on a small machine
    this.process = track(spawn(java(), ['-Xmx192m', '-XX:+ExitOnOutOfMemoryError', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
      '-jar', GATEWAY_JAR, '--config', this.configFile], { cwd: this.dir, env, stdio: ['ignore', out, out] }));
    closeSync(out);
    const child = this.process;
    let exited = false;
    child.once('exit', () => { exited = true; });
    try {
      await until(async () => {
        if (exited) throw new Error('the node process exited');
        const response = await fetch(`http://${LOOPBACK}:${this.port}/observe/health/ready`, { signal: AbortSignal.timeout(2000) });
        return response.status === 200;
      }, { timeoutMs: 40_000, intervalMs: 100, what: `node on port ${this.port} to be ready` });
    } catch (error) {
      await this.kill();
      throw new Error(`${error.message}\n--- ${this.logFile} ---\n${this.log().slice(-4000)}`);
    }
  }

  log() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGSTOP / SIGCONT: the node stops answering, its sockets stay open (a frozen machine or a dead path). */
  pause() { this.process.kill('SIGSTOP'); }
  resume() { this.process.kill('SIGCONT'); }

  /** SIGKILL: no drain, connections reset. */
  async kill() {
    await this._signal('SIGKILL');
  }

  /** SIGTERM: the node drains and tells sessions to reconnect. */
  async stop() {
    await this._signal('SIGTERM');
  }

  async _signal(signal) {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGCONT'); // a paused node would not handle SIGTERM
    child.kill(signal);
    await exited;
  }

  /** Starts the node again (same port, same config but for `settings`) after kill() or stop(). */
  async restart(settings = {}) {
    this.settings = { ...this.settings, ...settings };
    writeFileSync(this.configFile, yamlConfig(this.settings));
    await this.launch();
  }

  async close() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The backend API's DisconnectUser: closes `user`'s sessions with a `disconnect` event. */
  disconnectUser(user, reason, reconnect) {
    return this.grpc('DisconnectUser', [[1, user], [2, reason], [3, reconnect]]);
  }

  /** Tokens.RevokeTokens: every token of `user` issued before now (tokenId empty) or the one with `tokenId`. */
  revokeTokens(user, tokenId = '') {
    return this.grpc('RevokeTokens', tokenId ? [[1, user], [2, tokenId]] : [[1, user]], 'Tokens');
  }

  /** The backend API's Broadcast to every connected session. */
  broadcast(body, sender) {
    return this.grpc('Broadcast', [[1, JSON.stringify(body)], [2, sender]]);
  }

  /** The backend API's SetRoomAcl: replaces a room's access rules (action -> rule). */
  setRoomAcl(room, rules) {
    const entries = Object.entries(rules).map(([action, rule]) => [2, encodeFields([[1, action], [2, rule]])]);
    return this.grpc('SetRoomAcl', [[1, room], ...entries]);
  }

  /** The Moderation service's AddBlacklistWords (short words only). */
  addBlacklistWords(words) {
    return this.grpc('AddBlacklistWords', words.map((word) => [1, word]), 'Moderation');
  }

  /**
   * Calls a dino.v1.Backend method (or one of `service`, e.g. 'Tokens') (gRPC over HTTP/2 with node:http2; see
   * proto/dino/v1/backend.proto). The
   * request message is encoded by hand from [field number, string | boolean] pairs (short strings only).
   * Resolves with the raw response message bytes.
   */
  async grpc(method, fields, service = 'Backend') {
    const { connect } = await import('node:http2');
    const message = encodeFields(fields);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
    const session = connect(`http://${LOOPBACK}:${this.grpcPort}`);
    try {
      return await new Promise((resolveCall, reject) => {
        session.on('error', reject);
        const stream = session.request({
          ':method': 'POST', ':path': `/dino.v1.${service}/${method}`,
          'content-type': 'application/grpc', te: 'trailers', 'x-api-key': API_KEY,
        });
        const chunks = [];
        let status;
        let detail;
        stream.on('response', (headers) => { status = headers['grpc-status'] ?? status; detail = headers['grpc-message'] ?? detail; });
        stream.on('trailers', (trailers) => { status = trailers['grpc-status'] ?? status; detail = trailers['grpc-message'] ?? detail; });
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('end', () => (String(status) === '0'
          ? resolveCall(Buffer.concat(chunks).subarray(5))
          : reject(new Error(`${method}: grpc-status ${status} ${detail ?? ''}`))));
        stream.on('error', reject);
        stream.end(frame);
      });
    } finally {
      session.close();
    }
  }
}

/**
 * Protobuf fields from [field number, string | boolean | Buffer (an encoded message)] pairs; strings and
 * messages up to 127 bytes.
 */
function encodeFields(fields) {
  return Buffer.concat(fields.map(([number, value]) => {
    if (typeof value === 'boolean') return Buffer.from([number << 3, value ? 1 : 0]);
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    if (bytes.length > 127) throw new Error('grpc(): strings up to 127 bytes only');
    return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
  }));
}

/** A redis-server on a free loopback port, without persistence, in its own temp dir. */
export class RedisServer {
  static async start() {
    let binary;
    for (const candidate of [...(process.env.PATH ?? '').split(':').map((d) => join(d, 'redis-server')), '/usr/bin/redis-server', '/usr/sbin/redis-server']) {
      if (candidate && existsSync(candidate)) { binary = candidate; break; }
    }
    if (!binary) throw new Error('redis-server not found: install the Debian package redis-server (./dino test installs it)');
    const server = new RedisServer(binary, await freePort());
    await server.launch();
    return server;
  }

  constructor(binary, port) {
    this.binary = binary;
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'dino-js-redis-'));
  }

  get uri() {
    return `redis://${LOOPBACK}:${this.port}`;
  }

  async launch() {
    this.process = track(spawn(this.binary, ['--port', String(this.port), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--daemonize', 'no'], { stdio: 'ignore' }));
    const { connect } = await import('node:net');
    await until(() => new Promise((ok) => {
      const socket = connect(this.port, LOOPBACK);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => { socket.destroy(); ok(String(data).startsWith('+PONG')); });
      socket.once('error', () => ok(false));
    }), { timeoutMs: 10_000, what: `redis-server on port ${this.port}` });
  }

  /** SIGSTOP / SIGCONT: Redis stops answering without closing its connections. */
  pause() { this.process.kill('SIGSTOP'); }
  resume() { this.process.kill('SIGCONT'); }

  async close() {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One node for a whole test file: started before its tests, closed after them together with every client that
 * `client(user, roles?)` made (a DinoClient of `user`, `roles` in its token, quick reconnects). `shared.node` is the
 * node once the tests run.
 * @param {object} [options] as for GatewayNode.start
 */
export function sharedNode(options) {
  const clients = [];
  const shared = {
    /** @type {GatewayNode | undefined} */
    node: undefined,
    /**
     * @param {string} user
     * @param {string[]} [roles]
     */
    client(user, roles) {
      const c = new DinoClient({ url: shared.node.url, getToken: () => token(user, { roles }), WebSocket, timeoutMs: 5000,
        reconnect: { minDelayMs: 50, maxDelayMs: 300 } });
      clients.push(c);
      return c;
    },
  };
  before(async () => {
    shared.node = await GatewayNode.start(options);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await shared.node?.close();
  });
  return shared;
}
