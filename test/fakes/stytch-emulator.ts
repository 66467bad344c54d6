import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Member, Organization, Policy } from 'stytch';
import { errorBody, StytchFailure } from './stytch-emulator/errors.js';
import { SessionJwtSigner } from './stytch-emulator/jwt.js';
import { RouteContext, type ResponseTypeName, type Route } from './stytch-emulator/router.js';
import { TrustedAuthTokens, type TrustedAuthTokenProfileInput } from './stytch-emulator/routes-attest.js';
import { authRoutes } from './stytch-emulator/routes-auth.js';
import { directoryRoutes } from './stytch-emulator/routes-directory.js';
import { mfaRoutes } from './stytch-emulator/routes-mfa.js';
import { defaultRbacPolicy, rbacRoutes } from './stytch-emulator/routes-rbac.js';
import { sessionRoutes } from './stytch-emulator/routes-sessions.js';
import { memberSession } from './stytch-emulator/sessions.js';
import { EmulatorStore, type EmailTokenKind } from './stytch-emulator/store.js';
import { totpCodeAt } from './stytch-emulator/totp.js';

export interface StytchEmulatorOptions {
  projectId?: string;
  secret?: string;
  /** The emulator's clock (token expiry, timestamps, TOTP windows, JWT iat); default: real time. */
  now?: () => Date;
  /** Addition: a fixed port (local runs); default a free one. */
  port?: number;
  /** Addition: told about every email Stytch would send (magic links, invites, resets), e.g. to print the link. */
  onEmail?: (email: { kind: EmailTokenKind; emailAddress: string; token: string; link: string | null; organizationId: string | null }) => void;
}

export type StytchFault = { status: number; errorType: string } | 'network' | { delayMs: number };

/** One request as received (GET: its query as the body). */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** One answer with the SDK interface it was built as (null: an error or unrouted request). */
export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  responseType: ResponseTypeName | null;
  body: unknown;
}

const SILENT_JWKS = /^\/v1\/b2b\/sessions\/jwks\//;

/**
 * A local Stytch B2B API for tests and local runs. The real `stytch` SDK reaches it with
 * `new B2BClient({project_id, secret, env: emulator.url})`. It keeps organizations, members,
 * passwords, email tokens, intermediate sessions, member sessions and TOTP registrations in
 * memory with Stytch's rules (single-use tokens, 10-minute ISTs, MFA by org policy, RS256 session
 * JWTs verifiable through the JWKS endpoint), answers with objects typed as the SDK's own
 * response types, and can inject faults. Not modelled: SSO, OAuth, SMS/email OTP, SCIM, RBAC
 * policy evaluation, pagination cursors, password strength, PKCE, rate limits (inject 429 instead).
 * See docs/stytch-emulator.md.
 */
export class StytchEmulator {
  readonly projectId: string;
  readonly secret: string;
  readonly requests: RecordedRequest[] = [];
  /** Addition to the agreed API: every answer, for the response-shape checks. */
  readonly responses: RecordedResponse[] = [];
  private readonly store: EmulatorStore;
  private readonly routes: Route[];
  private readonly server: Server;
  private readonly trustedAuthTokens = new TrustedAuthTokens();
  private rbacPolicy: Policy = defaultRbacPolicy();
  private faults: Array<{ prefix: string; fault: StytchFault }> = [];
  private latencyMs = 0;
  private port = 0;

  private constructor(options: StytchEmulatorOptions, signer: SessionJwtSigner) {
    this.projectId = options.projectId ?? 'project-test-00000000-0000-4000-8000-000000000000';
    this.secret = options.secret ?? 'secret-test-emulator';
    const now = options.now ?? (() => new Date());
    this.store = new EmulatorStore(now, signer);
    const onEmail = options.onEmail;
    if (onEmail) this.store.onEmail = (e) => onEmail({ kind: e.kind, emailAddress: e.emailAddress, token: e.token, link: e.link, organizationId: e.organizationId });
    this.routes = [
      ...directoryRoutes(this.store),
      ...authRoutes(this.store),
      ...sessionRoutes(this.store, this.projectId),
      ...this.trustedAuthTokens.routes(this.store),
      ...mfaRoutes(this.store),
      ...rbacRoutes(this.store, () => this.rbacPolicy),
    ];
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Generates the signing key and listens on 127.0.0.1 on a free port. */
  static async start(options: StytchEmulatorOptions = {}): Promise<StytchEmulator> {
    const signer = await SessionJwtSigner.create(options.projectId ?? 'project-test-00000000-0000-4000-8000-000000000000');
    const emulator = new StytchEmulator(options, signer);
    await new Promise<void>((resolve) => emulator.server.listen(options.port ?? 0, '127.0.0.1', resolve));
    emulator.port = (emulator.server.address() as AddressInfo).port;
    return emulator;
  }

  /** Base URL for the SDK's `env` (with the trailing slash it needs). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** The environment that points a Gatehouse at this emulator (Stytch mode), with the webhook secret it verifies with. */
  gatehouseEnv(webhookSecret: string): Record<string, string> {
    return { IDENTITY_PROVIDER: 'stytch', STYTCH_PROJECT_ID: this.projectId, STYTCH_SECRET: this.secret, STYTCH_WEBHOOK_SECRET: webhookSecret, STYTCH_API_URL: this.url };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets all state, recorded traffic and pending faults; keeps the signing key (cached JWKS stay valid). */
  reset(): void {
    this.store.reset();
    this.trustedAuthTokens.reset();
    this.rbacPolicy = defaultRbacPolicy();
    this.requests.length = 0;
    this.responses.length = 0;
    this.faults = [];
    this.latencyMs = 0;
  }

  /** Addition to the agreed API: the implemented endpoints and the SDK response type each answers with. */
  get routeTable(): Array<{ method: string; path: string; responseType: ResponseTypeName }> {
    return this.routes.map(({ method, path, responseType }) => ({ method, path, responseType }));
  }

  // ---- seeding (what the Stytch dashboard would do; no HTTP) ----

  seedOrganization(input: { name: string; slug: string; mfaPolicy?: 'OPTIONAL' | 'REQUIRED_FOR_ALL'; emailAllowedDomains?: string[]; emailJitProvisioning?: 'RESTRICTED' | 'NOT_ALLOWED' }): Organization {
    return this.store.createOrganization(input);
  }

  seedMember(organizationId: string, input: { email: string; name?: string; password?: string; roles?: string[]; status?: 'active' | 'invited'; emailVerified?: boolean }): Member {
    return this.store.createMember(organizationId, input);
  }

  /** A dashboard-side change: bumps `updated_at`; roles replace the direct assignments. */
  updateMember(organizationId: string, memberId: string, changes: { name?: string; roles?: string[]; status?: string }): Member {
    return this.store.changeMember(this.store.record(organizationId, memberId), changes);
  }

  /** Deletes the member and revokes their sessions. */
  deleteMember(organizationId: string, memberId: string): void {
    this.store.removeMember(this.store.record(organizationId, memberId));
  }

  organization(organizationId: string): Organization | null {
    return this.orNull(() => this.store.organization(organizationId));
  }

  organizationBySlug(slug: string): Organization | null {
    return this.store.organizationBySlug(slug);
  }

  member(organizationId: string, memberId: string): Member | null {
    return this.orNull(() => this.store.member(this.store.record(organizationId, memberId)));
  }

  memberByEmail(organizationId: string, email: string): Member | null {
    const record = this.store.recordByEmail(organizationId, email);
    return record ? this.store.member(record) : null;
  }

  memberSessions(memberId?: string): Array<{ member_session_id: string; member_id: string; organization_id: string; revoked: boolean }> {
    return [...this.store.sessions.values()]
      .filter((s) => memberId === undefined || s.memberId === memberId)
      .map((s) => ({ member_session_id: s.id, member_id: s.memberId, organization_id: s.organizationId, revoked: s.revoked }));
  }

  /** The latest discovery or invite magic-link token sent to this email (used or not). */
  lastMagicLinkToken(email: string): string | null {
    return this.store.lastEmailToken(email, ['discovery', 'invite']);
  }

  /** The latest password-reset token (org-scoped or discovery) sent to this email. */
  lastPasswordResetToken(email: string): string | null {
    return this.store.lastEmailToken(email, ['password_reset', 'discovery_password_reset']);
  }

  /** The member's TOTP secret (base32) once `totps.create` ran, verified or not. */
  totpSecret(organizationId: string, memberId: string): string | null {
    return this.orNull(() => this.store.record(organizationId, memberId).totp?.secret ?? null);
  }

  /** The code an authenticator app shows at `at` (default: the emulator's now). */
  totpCode(organizationId: string, memberId: string, at?: Date): string {
    const secret = this.totpSecret(organizationId, memberId);
    if (!secret) throw new Error(`member ${memberId} has no TOTP registration`);
    return totpCodeAt(secret, at ?? this.store.now());
  }

  /** A session JWT signed with the emulator's key, for tampering and expiry tests. */
  async signSessionJwt(claims: { memberSessionId: string; memberId: string; organizationId: string; roles?: string[]; issuedAt?: Date; expiresInSeconds?: number }): Promise<string> {
    const issuedAt = claims.issuedAt ?? this.store.now();
    const session = this.store.sessions.get(claims.memberSessionId);
    const view = session ? memberSession(this.store, session) : null;
    const organization = this.store.organizations.get(claims.organizationId);
    const expiresInSeconds = claims.expiresInSeconds ?? 300;
    return this.store.signer.sign({
      memberSessionId: claims.memberSessionId,
      memberId: claims.memberId,
      organizationId: claims.organizationId,
      organizationSlug: organization?.organization_slug ?? view?.organization_slug ?? '',
      startedAt: view?.started_at ?? issuedAt.toISOString(),
      lastAccessedAt: view?.last_accessed_at ?? issuedAt.toISOString(),
      expiresAt: view?.expires_at ?? new Date(issuedAt.getTime() + expiresInSeconds * 1000).toISOString(),
      authenticationFactors: view?.authentication_factors ?? [],
      roles: claims.roles ?? view?.roles ?? ['stytch_member'],
      issuedAt,
      expiresInSeconds,
    });
  }

  /** Addition: registers a Trusted Auth Token profile (dashboard config) for `sessions.attest`; returns its profile id. */
  addTrustedAuthTokenProfile(profile: TrustedAuthTokenProfileInput): string {
    return this.trustedAuthTokens.add(profile);
  }

  /** Addition: the project RBAC policy `rbac.policy` returns (default: Stytch's stytch_admin / stytch_member). */
  setRbacPolicy(policy: Policy): void {
    this.rbacPolicy = structuredClone(policy);
  }

  // ---- fault injection ----

  /** The next request whose path starts with `pathPrefix` fails: a Stytch error, a destroyed socket, or a delay before a normal answer. */
  failNext(pathPrefix: string, failure: StytchFault): void {
    this.faults.push({ prefix: pathPrefix, fault: failure });
  }

  /** Delays every answer by `ms` (0: none). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `request-id-test-${randomUUID()}`;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    let body: Record<string, unknown>;
    try {
      body = method === 'GET' ? Object.fromEntries(url.searchParams) : await readJson(req);
    } catch {
      this.requests.push({ method, path, body: null });
      return this.send(res, method, path, 400, errorBody(400, 'bad_request', 'The request body is not valid JSON.', requestId), null);
    }
    this.requests.push({ method, path, body });
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    const faultIndex = this.faults.findIndex((f) => path.startsWith(f.prefix));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0]?.fault : undefined;
    if (fault) {
      if (fault === 'network') {
        req.socket.destroy();
        return;
      }
      if ('delayMs' in fault) await sleep(fault.delayMs);
      else return this.send(res, method, path, fault.status, errorBody(fault.status, fault.errorType, `Injected ${fault.errorType}.`, requestId), null);
    }

    // The JWKS is public at Stytch (the SDK's JWKS fetch sends no credentials); everything else needs Basic auth.
    if (!SILENT_JWKS.test(path) && !this.authorized(req.headers.authorization)) {
      return this.send(res, method, path, 401, errorBody(401, 'unauthorized_credentials', 'Unauthorized credentials.', requestId), null);
    }

    for (const route of this.routes) {
      const params = route.match(method, path);
      if (!params) continue;
      try {
        const result = await route.handle(new RouteContext(body, params, requestId));
        return this.send(res, method, path, 200, result, route.responseType);
      } catch (error) {
        if (error instanceof StytchFailure) return this.send(res, method, path, error.status, errorBody(error.status, error.errorType, error.message, requestId), null);
        const message = error instanceof Error ? error.message : String(error);
        return this.send(res, method, path, 500, errorBody(500, 'internal_server_error', `Emulator failure: ${message}`, requestId), null);
      }
    }
    return this.send(res, method, path, 404, errorBody(404, 'route_not_found', `The emulator does not implement ${method} ${path}.`, requestId), null);
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const given = Buffer.from(header.slice(6), 'base64');
    const expected = Buffer.from(`${this.projectId}:${this.secret}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private send(res: ServerResponse, method: string, path: string, status: number, body: object, responseType: ResponseTypeName | null): void {
    this.responses.push({ method, path, status, responseType, body: structuredClone(body) });
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private orNull<T>(read: () => T): T | null {
    try {
      return read();
    } catch (error) {
      if (error instanceof StytchFailure) return null;
      throw error;
    }
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
