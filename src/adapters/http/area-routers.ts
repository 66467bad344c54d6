import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { HttpError } from './http-error.js';

/** Leading path segments that name an area: `/api/v1/organizations`, `/api/v1/me`, `/health`, `/.well-known/jwks.json`. */
const AREA_DEPTH = 3;

/**
 * A request's area: its first path segments, lower-cased because routes match case-insensitively
 * (as @koa/router does by default). Empty segments are skipped, so `/a//b` and `/a/b/` land in an
 * area whose router then decides exactly, as it would have alone.
 */
export function areaOf(path: string): string {
  if (path.includes('//')) return areaOfSegments(path);
  // The common case without a split: the end of the third segment is the fourth slash.
  let end = 0;
  for (let depth = 0; depth < AREA_DEPTH && end !== -1; depth++) end = path.indexOf('/', end + 1);
  const area = end === -1 ? path : path.slice(0, end);
  return (area.endsWith('/') ? area.slice(0, -1) : area).toLowerCase();
}

function areaOfSegments(path: string): string {
  let area = '';
  let depth = 0;
  for (const segment of path.toLowerCase().split('/')) {
    if (segment === '') continue;
    area += `/${segment}`;
    if (++depth === AREA_DEPTH) break;
  }
  return area;
}

/**
 * One @koa/router per area instead of one for every route. @koa/router tests a request against each
 * of its routes' patterns in turn, which with ~90 routes cost ~8 µs of CPU on every `/api/v1/me` and
 * about a tenth of its throughput (ADR 0007). Looking up the area first leaves a router of a few
 * routes to search. A route's area segments must be literal, so every request its pattern matches
 * has that same area and reaches its router.
 */
export class AreaRouters {
  private readonly routers = new Map<string, Router>();

  /** The router that serves `path` (a route template); made on first use. */
  for(path: string): Router {
    const area = areaOf(path);
    if (/[:*(){}?]/.test(area)) throw new Error(`route ${path}: the first ${AREA_DEPTH} path segments must be literal to find its area`);
    let router = this.routers.get(area);
    if (!router) this.routers.set(area, (router = new Router()));
    return router;
  }

  /** Dispatches to the request's area router (its routes, then METHOD_NOT_ALLOWED for a known path with another method). */
  middleware() {
    const areas = new Map<string, (ctx: Context, next: Next) => Promise<unknown>>();
    for (const [area, router] of this.routers) {
      const routes = router.routes();
      // Without `throw` the router answers by status and sets `Allow`, which `refuseMethod` keeps.
      const allowed = router.allowedMethods();
      areas.set(area, async (ctx, next) => {
        await routes(ctx as never, () => allowed(ctx as never, next) as Promise<unknown>);
        refuseMethod(ctx);
      });
    }
    return (ctx: Context, next: Next): Promise<unknown> => {
      const serve = areas.get(areaOf(ctx.path));
      return serve ? serve(ctx, next) : next();
    };
  }
}

/**
 * Turns the router's bare 405, and its 501 for a method it does not know (PROPFIND, PURGE, QUERY…),
 * into METHOD_NOT_ALLOWED with the route's `Allow`: an unknown method is the client's mistake, not
 * a missing feature of the server. A 501 for a path no route matches is left to ROUTE_NOT_FOUND.
 */
function refuseMethod(ctx: Context): void {
  if ((ctx.status !== 405 && ctx.status !== 501) || ctx.body !== undefined) return;
  if (ctx.response.get('Allow')) throw new HttpError('METHOD_NOT_ALLOWED', 'Method not allowed on this route');
  ctx.remove('Allow');
  ctx.status = 404;
}
