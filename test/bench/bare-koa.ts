// The baseline of the HTTP benchmark: koa with one JSON route and nothing else. It answers
// BENCH_BODY (the same JSON /api/v1/me returns, so both serve the same bytes) or a tiny object.
import { createServer } from 'node:http';
import Koa from 'koa';

const body: unknown = process.env['BENCH_BODY'] ? JSON.parse(process.env['BENCH_BODY']) : { ok: true };
const app = new Koa();
app.use(async (ctx) => {
  ctx.body = body;
});
const server = createServer(app.callback()).listen(Number(process.env['PORT']), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
