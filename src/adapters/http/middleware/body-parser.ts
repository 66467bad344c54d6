import type { Context, Next } from 'koa';
import { HttpError } from '../http-error.js';

/**
 * Reads request bodies with a hard size limit and keeps the raw bytes (webhook
 * signatures are computed over them). JSON only, except paths listed as raw.
 */
export function bodyParser(options: { limitBytes: number; rawPaths: readonly string[] }) {
  // Requests without a body (most reads) pass straight through, without a promise of their own.
  return (ctx: Context, next: Next): Promise<void> => {
    if (!BODY_METHODS.has(ctx.method)) return next();
    const declared = Number(ctx.req.headers['content-length'] || 0);
    const chunked = Boolean(ctx.req.headers['transfer-encoding']);
    if (!declared && !chunked) return next();
    return readBody(ctx, next, declared, options);
  };
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function readBody(ctx: Context, next: Next, declared: number, options: { limitBytes: number; rawPaths: readonly string[] }): Promise<void> {
  if (declared > options.limitBytes) throw new HttpError('PAYLOAD_TOO_LARGE', `Request body exceeds ${options.limitBytes} bytes`);
  const raw = await readLimited(ctx, options.limitBytes);
  ctx.state['rawBody'] = raw;
  if (options.rawPaths.includes(ctx.path) || raw.length === 0) return next();
  if (!ctx.is('application/json')) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json');
  try {
    ctx.request.body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError('INVALID_JSON', 'Request body is not valid JSON');
  }
  return next();
}

async function readLimited(ctx: Context, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.unpipe();
      ctx.req.resume();
      throw new HttpError('PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
