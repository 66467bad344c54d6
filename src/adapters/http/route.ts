import type { Context } from 'koa';
import type { z } from 'zod';
import type { Principal, RequestMeta } from '../../application/services/request-meta.js';
import type { ApiErrorCode } from './http-error.js';

type AnyObject = z.ZodObject;

/** What a handler receives: validated input, the caller (when authenticated) and request origin. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  meta: RequestMeta;
  ctx: Context;
}

/** What a handler returns; the router writes it. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One HTTP operation: path, schemas and handler in one place. The router validates
 * with these schemas and the OpenAPI document is generated from the same objects.
 */
export interface RouteDef<P extends AnyObject | undefined = AnyObject | undefined, Q extends AnyObject | undefined = AnyObject | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** koa-style path, e.g. `/api/v1/organizations/:org`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: 'none' | 'bearer' | 'refresh';
  params?: P;
  query?: Q;
  body?: B;
  /** Success responses by status, with their schema when they have a body. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error codes this route can answer with (documentation). */
  errors?: ApiErrorCode[];
  handler: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => Promise<RouteResult>;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

/** Keeps the literal types of a route definition while checking its shape. */
export function defineRoute<P extends AnyObject | undefined = undefined, Q extends AnyObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  def: RouteDef<P, Q, B>,
): RouteDef {
  return def as unknown as RouteDef;
}
