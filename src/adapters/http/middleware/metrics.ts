import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: process and runtime defaults, plus requests by route and status. */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    this.requests = new Counter({ name: 'gatehouse_http_requests_total', help: 'HTTP requests by route template and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.duration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  /** Counts and times one finished request, labelled by route template (never the raw path: ids would explode cardinality). */
  record(ctx: Context, seconds: number): void {
    const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
    this.requests.inc({ method: ctx.method, route, status: String(ctx.status) });
    this.duration.observe({ method: ctx.method, route }, seconds);
  }

  /** GET /metrics; with a token configured, only `Authorization: Bearer <token>` may read it. */
  endpoint(token: string | undefined) {
    const expected = token ? Buffer.from(`Bearer ${token}`) : null;
    return async (ctx: Context): Promise<void> => {
      const given = Buffer.from(ctx.get('authorization'));
      if (expected && (given.length !== expected.length || !timingSafeEqual(given, expected))) {
        ctx.status = 401;
        ctx.body = { code: 'AUTH_REQUIRED', message: 'Metrics need the configured bearer token', requestId: ctx.state['requestId'] };
        return;
      }
      ctx.type = this.registry.contentType;
      ctx.body = await this.registry.metrics();
    };
  }
}
