import { pino } from 'pino';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { Config } from '../../src/infrastructure/config/config.schema.js';
import { loadConfig } from '../../src/infrastructure/config/load-config.js';
import { createGatehouse, type Gatehouse, listen } from '../../src/infrastructure/server/gatehouse.js';
import { TestClock } from './test-clock.js';

export interface Harness {
  url: string;
  clock: TestClock;
  gatehouse: Gatehouse;
  config: Config;
  /** JSON request; returns status, parsed body and headers. */
  call(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  // Tests read arbitrary fields of JSON bodies.
  body: Record<string, any>;
  headers: Headers;
}

/**
 * Starts a real Gatehouse on 127.0.0.1 (in-memory store unless one is given). `databaseUrl` is the URL of
 * the database behind `persistence`, for stores that share it (RATE_LIMIT_STORE=postgres).
 */
export async function startHarness(options: { env?: Record<string, string>; persistence?: Persistence; databaseUrl?: string } = {}): Promise<Harness> {
  // Rate limits are off unless a test turns them on (RATE_LIMITS_ENABLED: 'true'): every request of a
  // test file comes from 127.0.0.1, and functional tests would otherwise trip the per-IP limits.
  const config = loadConfig({
    NODE_ENV: 'test', PASSWORD_HASH_PARAMS: 'test_only_n10r8p1', PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', RATE_LIMITS_ENABLED: 'false', ...options.env,
  });
  const clock = new TestClock();
  const persistence = options.persistence ?? createInMemoryPersistence();
  const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence, clock, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  const server = await listen(gatehouse.app, '127.0.0.1', 0);
  return {
    url: server.url,
    clock,
    gatehouse,
    config,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { 'x-client': 'api', ...opts.headers };
      if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
      if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
      const response = await fetch(server.url + path, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
      });
      const text = await response.text();
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        body = { raw: text };
      }
      return { status: response.status, body, headers: response.headers };
    },
    async close() {
      await server.stop(1000);
      await gatehouse.close();
    },
  };
}

/** The tokens in the links of the mails of one template to an address, newest first (what the person would click). */
export async function mailedTokens(h: Harness, email: string, template: string): Promise<string[]> {
  const mails = (await h.gatehouse.persistence.outbox.listRecent(email)).filter((m) => m.template === template);
  return mails.map((m) => new URL(String(m.data['link']), 'http://localhost').searchParams.get('token') ?? '');
}

/** The token in the newest mail of one template to an address; throws when none was sent. */
export async function mailedToken(h: Harness, email: string, template: string): Promise<string> {
  const [token] = await mailedTokens(h, email, template);
  if (!token) throw new Error(`no ${template} mail with a token to ${email}`);
  return token;
}

/**
 * Registers a user, proves the mailbox through the verification mail, and signs in with the password; returns
 * the login body (API client: refresh token included). Tests of an account that never proved its mailbox use `register`.
 */
export async function signUp(h: Harness, email: string, password = 'correct horse battery staple', organization?: string): Promise<ApiResponse['body']> {
  await register(h, email, password);
  const verified = await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, email, 'verification') } });
  if (verified.status !== 200) throw new Error(`verify-email failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  // The link signed the person in; that session ends, so the one returned below is the only one.
  await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: verified.body.refreshToken } });
  const login = await h.call('POST', '/api/v1/auth/login', { body: { email, password, ...(organization ? { organization } : {}) } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body;
}

/**
 * An organization named `name` created by a new admin (`<name in lower case>-admin@example.com`, mailbox proved);
 * returns it with an access token of the admin signed in to it.
 */
export async function organizationWithAdmin(h: Harness, name: string): Promise<{ org: { id: string; slug: string; name: string }; token: string }> {
  const email = `${name.toLowerCase()}-admin@example.com`;
  const admin = await signUp(h, email);
  const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name } });
  if (org.status !== 201) throw new Error(`organization not created: ${org.status} ${JSON.stringify(org.body)}`);
  const inside = await h.call('POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery staple', organization: org.body.id } });
  return { org: org.body as { id: string; slug: string; name: string }, token: inside.body.accessToken as string };
}

/** Registers a user whose mailbox stays unproved (no verification link followed). */
export async function register(h: Harness, email: string, password = 'correct horse battery staple'): Promise<void> {
  const reg = await h.call('POST', '/api/v1/auth/register', { body: { email, password, name: email.split('@')[0] } });
  if (reg.status !== 202) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
}

/** Registers a user and signs in with the password, leaving the mailbox unproved; returns the login body. */
export async function signUpUnverified(h: Harness, email: string, password = 'correct horse battery staple'): Promise<ApiResponse['body']> {
  await register(h, email, password);
  const login = await h.call('POST', '/api/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body;
}
