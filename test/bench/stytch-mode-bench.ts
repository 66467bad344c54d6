import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import type { Row } from './processes.js';
import { freePort, startGatehouse, stop } from './processes.js';


type Load = (name: string, url: string, headers?: Record<string, string>, durationS?: number) => Promise<Row>;

export interface StytchModeResult {
  /** `/me` with a Gatehouse access token, then with a Stytch session JWT, on one Gatehouse in Stytch mode. */
  rows: [gatehouseToken: Row, stytchJwt: Row];
  /** Requests Gatehouse made to Stytch while the JWT row ran (local JWKS: none expected). */
  stytchCallsDuringJwtRow: string[];
}

const PASSWORD = 'correct horse battery staple';

/**
 * Stytch mode over the local Stytch emulator: a second compiled Gatehouse (its own embedded PGlite)
 * with IDENTITY_PROVIDER=stytch. A member signs in at Stytch; its session JWT is mirrored on first
 * use; then `/me` is loaded with a Gatehouse token and with a Stytch JWT (minted right before its
 * row: it lives 5 minutes), with the caller's autocannon settings.
 */
export async function stytchMode(root: string, load: Load): Promise<StytchModeResult> {
  const emulator = await StytchEmulator.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-stytch-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let gatehouse: ChildProcess | null = null;
  try {
    gatehouse = await startGatehouse(root, {
      PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000', RATE_LIMITS_ENABLED: 'false', DATA_DIR: dataDir,
      IDENTITY_PROVIDER: 'stytch', STYTCH_PROJECT_ID: emulator.projectId, STYTCH_SECRET: emulator.secret, STYTCH_API_URL: emulator.url,
      STYTCH_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
    }, `${base}/ready`);

    const slug = `bench-${Date.now()}`;
    const org = emulator.seedOrganization({ name: 'Bench', slug });
    const email = `bench-${Date.now()}@example.com`;
    const member = emulator.seedMember(org.organization_id, { email, name: 'Bench', password: PASSWORD, roles: ['stytch_admin'] });
    const signIn = await fetch(`${emulator.url}v1/b2b/passwords/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}` },
      body: JSON.stringify({ organization_id: org.organization_id, email_address: email, password: PASSWORD, session_duration_minutes: 60 }),
    });
    const session = (await signIn.json()) as { session_jwt: string; member_session: { member_session_id: string } };
    // First use mirrors the member (JIT); afterwards Gatehouse's own login knows the person.
    const first = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${session.session_jwt}` } });
    if (!first.ok) throw new Error(`Stytch JWT /me failed: ${first.status} ${await first.text()}`);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'api' }, body: JSON.stringify({ email, password: PASSWORD, organization: slug }),
    });
    const loginBody = (await login.json()) as Record<string, unknown>;
    if (!login.ok || typeof loginBody['accessToken'] !== 'string') throw new Error(`Stytch-mode login failed: ${login.status} ${JSON.stringify(loginBody)}`);
    const gatehouseAuth = { authorization: `Bearer ${loginBody['accessToken']}` };

    await load('warm-up (stytch mode)', `${base}/api/v1/me`, gatehouseAuth, 3);
    await load('warm-up (stytch mode, JWT)', `${base}/api/v1/me`, { authorization: `Bearer ${session.session_jwt}` }, 3);
    const withGatehouseToken = await load('/me [stytch mode] Gatehouse token', `${base}/api/v1/me`, gatehouseAuth);
    const jwt = await emulator.signSessionJwt({ memberSessionId: session.member_session.member_session_id, memberId: member.member_id, organizationId: org.organization_id });
    const mark = emulator.requests.length;
    const withStytchJwt = await load('/me [stytch mode] Stytch session JWT', `${base}/api/v1/me`, { authorization: `Bearer ${jwt}` });
    return {
      rows: [withGatehouseToken, withStytchJwt],
      stytchCallsDuringJwtRow: emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`),
    };
  } finally {
    if (gatehouse) await stop(gatehouse);
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
