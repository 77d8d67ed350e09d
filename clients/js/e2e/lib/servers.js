// Real servers for the end-to-end tests: the SDK tests' fixtures (../../test/support/gateway.js: a gateway node
// from gateway/target/dino-gateway.jar in its own JVM, a redis-server, each on a free loopback port), with the
// demo page, dev tokens and the admin console on. A missing jar, JDK or redis-server fails the test with what to do
// about it.

import { GatewayNode, RedisServer } from '../../test/support/gateway.js';

/** A redis-server on a free port, without persistence. */
export async function startRedis() {
  const server = await RedisServer.start();
  return { port: server.port, uri: server.uri, stop: () => server.close() };
}

/**
 * A gateway node with the demo page, dev tokens and the admin console on. It can be stopped and started again on the
 * same port (its clients then reconnect to it).
 * @param {{engine?: 'memory'|'redis', redisUri?: string, nodeId?: string, port?: number}} options
 */
export async function gatewayNode(options = {}) {
  const gateway = await GatewayNode.start({
    engine: options.engine,
    redisUri: options.redisUri,
    port: options.port,
    settings: {
      'dino.node-id': options.nodeId ?? '',
      'dino.dev-mode': true,
      'dino.demo.enabled': true,
      'dino.admin.enabled': true,
      'dino.auth.token-ttl': 'PT1H',
      'dino.auth.clock-skew': 'PT0S', // an expired token is refused at once, not 30 s later
    },
  });
  const node = {
    port: gateway.port,
    url: `http://127.0.0.1:${gateway.port}`,
    demoUrl: `http://127.0.0.1:${gateway.port}/demo/`,
    adminUrl: `http://127.0.0.1:${gateway.port}/admin/`,
    async start() {
      await gateway.launch();
      return node;
    },
    /** Stops it: gracefully with SIGTERM (its sessions are told to reconnect), or SIGKILL (a crash). */
    async stop(signal = 'SIGTERM') {
      await (signal === 'SIGKILL' ? gateway.kill() : gateway.stop());
    },
    output: () => gateway.log(),
  };
  return node;
}
