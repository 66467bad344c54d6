import './koa-augment.js';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HttpDeps } from './http-deps.js';
import { bodyParser } from './middleware/body-parser.js';
import { edge } from './middleware/edge.js';
import { HttpMetrics } from './middleware/metrics.js';
import { securityHeaders } from './middleware/security-headers.js';
import { AreaRouters } from './area-routers.js';
import { mountRoutes } from './mount-routes.js';
import { buildOpenApi, renderDocsPage } from './openapi.js';
import type { RouteDef } from './route.js';
import { authRoutes } from './routes/auth.routes.js';
import { identityFlowRoutes } from './routes/identity-flow.routes.js';
import { meRoutes } from './routes/me.routes.js';
import { mfaRoutes } from './routes/mfa.routes.js';
import { organizationRoutes } from './routes/organization.routes.js';
import { authorizeRoutes } from './routes/authorize.routes.js';
import { billingRoutes } from './routes/billing.routes.js';
import { billingWebhookRoutes } from './routes/billing-webhook.routes.js';
import { identityWebhookRoutes } from './routes/identity-webhook.routes.js';
import { onboardingRoutes } from './routes/onboarding.routes.js';
import { entityRoutes } from './routes/entity.routes.js';
import { entitlementRoutes } from './routes/entitlement.routes.js';
import { roleRoutes } from './routes/role.routes.js';
import { systemRoutes } from './routes/system.routes.js';

export interface HttpOptions {
  bodyLimitBytes: number;
  allowedOrigins: readonly string[];
  trustedProxies: readonly string[];
  hsts: boolean;
  version: string;
  publicUrl: string;
  /** Bearer token required to read /metrics; open when unset. */
  metricsToken?: string | undefined;
  /** Registers metrics the composition root owns (the hash pool's) beside the HTTP ones. */
  extraMetrics?: (registry: Registry) => void;
}

/** Every route, registered by name in one list. */
export function allRoutes(deps: HttpDeps): RouteDef[] {
  return [...systemRoutes(deps), ...authRoutes(deps), ...identityFlowRoutes(deps), ...mfaRoutes(deps), ...meRoutes(deps), ...organizationRoutes(deps), ...roleRoutes(deps), ...entityRoutes(deps), ...billingRoutes(deps), ...billingWebhookRoutes(deps), ...identityWebhookRoutes(deps), ...onboardingRoutes(deps), ...entitlementRoutes(deps), ...authorizeRoutes(deps)];
}

/** Builds the koa application: middleware in order, then routes. */
export function buildApp(deps: HttpDeps, logger: Logger, options: HttpOptions): Koa {
  const app = new Koa();
  app.proxy = options.trustedProxies.length > 0;
  app.silent = true;
  const routes = allRoutes(deps);
  const openapi = buildOpenApi(routes, { version: options.version, serverUrl: options.publicUrl });
  const docsPage = renderDocsPage(openapi);
  const routers = new AreaRouters();
  mountRoutes(routers, routes, { authenticate: (bearer) => deps.authenticate.execute(bearer), trustedProxies: options.trustedProxies });
  const metrics = new HttpMetrics();
  options.extraMetrics?.(metrics.registry);
  routers.for('/metrics').get('/metrics', metrics.endpoint(options.metricsToken));
  routers.for('/openapi.json').get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  routers.for('/docs').get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ctx.body = docsPage;
  });
  app.use(edge({ logger, metrics, headers: securityHeaders({ allowedOrigins: options.allowedOrigins, hsts: options.hsts }) }));
  app.use(bodyParser({ limitBytes: options.bodyLimitBytes, rawPaths: ['/api/v1/webhooks/stripe', '/api/v1/webhooks/stytch'] }));
  app.use(routers.middleware());
  return app;
}
