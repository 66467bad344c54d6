import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import type Koa from 'koa';
import type { Persistence } from '../../application/ports/persistence.port.js';
import { buildApp } from '../../adapters/http/app.js';
import type { HttpDeps } from '../../adapters/http/http-deps.js';
import { registerHashPoolMetrics } from '../../adapters/security/hash-pool-metrics.js';
import type { HashWorkerPool } from '../../adapters/security/hash-worker-pool.js';
import type { JoseAccessTokenService } from '../../adapters/security/jose-access-token-service.js';
import type { RateLimiterHandle } from '../../adapters/rate-limit/local-rate-limiter.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import { isNetworkedBus } from '../di/bus-module.js';
import { buildContainer, type RootInput } from '../di/container.js';
import { loadOptionalAdapters } from '../di/optional-adapters.js';
import { T } from '../di/tokens.js';

/** A wired Gatehouse: the koa app and what must be closed with it. */
export interface Gatehouse {
  app: Koa;
  deps: HttpDeps;
  persistence: Persistence;
  container: Container;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/** Wires the application around an opened store (used by the server, the CLI and tests). */
export async function createGatehouse(input: RootInput): Promise<Gatehouse> {
  // Optional SDKs (Stytch, Svix, Stripe, nodemailer, ioredis) are loaded only when configured: a
  // deployment that does not use them does not pay their memory (the Stytch SDK alone ~30 MiB of RSS).
  const container = buildContainer({ ...input, ...(await loadOptionalAdapters(input.config, input)) });
  const tokens = container.get<JoseAccessTokenService>(T.AccessTokens);
  await tokens.init();
  const rateLimits = container.get<RateLimiterHandle>(T.RateLimiterHandle);
  await rateLimits.ready().catch((err: unknown) => input.logger.warn({ err, store: rateLimits.store }, 'rate-limit store not answering at start-up: this node counts on its own until it does'));
  const bus = container.get<InvalidationBus>(T.Bus);
  // Until subscribed, access views are not cached (the bus reports itself disconnected): slower, never stale.
  if (isNetworkedBus(bus)) await bus.whenReady().catch((err: unknown) => input.logger.warn({ err }, 'Redis invalidation bus not subscribed at start-up: access views are read from the database until it is'));
  const deps = container.get<HttpDeps>(T.HttpDeps);
  const { config } = input;
  const hashPool = container.get<HashWorkerPool>(T.HashPool);
  const app = buildApp(deps, input.logger, {
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    allowedOrigins: [new URL(config.PUBLIC_URL).origin, ...config.CORS_ORIGINS],
    trustedProxies: config.TRUSTED_PROXIES,
    hsts: config.PUBLIC_URL.startsWith('https://'),
    version: VERSION,
    publicUrl: config.PUBLIC_URL,
    metricsToken: config.METRICS_TOKEN,
    extraMetrics: (registry) => registerHashPoolMetrics(registry, () => hashPool.stats()),
  });
  return {
    app,
    deps,
    persistence: input.persistence,
    container,
    close: async () => {
      await hashPool.close();
      await rateLimits.close();
      // A bus passed in by the caller is the caller's to close.
      if (isNetworkedBus(bus) && !input.bus) await bus.close();
    },
  };
}

/**
 * Serves a koa app and stops gracefully: on stop, the listener closes, idle
 * keep-alive connections are dropped, in-flight requests finish (up to the timeout),
 * then anything left is cut.
 */
export async function listen(app: Koa, host: string, port: number): Promise<{ server: Server; url: string; stop(timeoutMs: number): Promise<void> }> {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    stop: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
