// The baseline of the HTTP benchmark: koa with one JSON route and nothing else.
import { createServer } from 'node:http';
import Koa from 'koa';

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = { user: { id: 'a7c1e0b2-0000-4000-8000-000000000000', email: 'bench@example.com', name: 'bench' }, ok: true };
});
const server = createServer(app.callback()).listen(Number(process.env['PORT']), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
