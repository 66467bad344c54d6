import { z } from 'zod';
import { Email, Password } from './common.schemas.js';

const OrganizationSummary = z.object({ id: z.string(), slug: z.string(), name: z.string() }).meta({ id: 'OrganizationSummary' });

export const Authenticated = z
  .object({
    status: z.literal('authenticated'),
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    refreshToken: z.string().optional().meta({ description: 'Only for API clients that send `X-Client: api`; browsers get an httpOnly cookie' }),
    session: z.object({ id: z.string(), expiresAt: z.string() }),
    user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
    organization: OrganizationSummary.nullable(),
    member: z.object({ id: z.string(), roles: z.array(z.string()) }).nullable(),
  })
  .meta({ id: 'Authenticated' });

export const DiscoveredOrganization = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    membership: z.enum(['active_member', 'invited_member', 'eligible_by_domain']),
    mfaRequired: z.boolean(),
  })
  .meta({ id: 'DiscoveredOrganization' });

export const OrgSelectionRequired = z
  .object({
    status: z.literal('org_selection_required'),
    intermediateToken: z.string(),
    expiresIn: z.number().int(),
    organizations: z.array(DiscoveredOrganization),
  })
  .meta({ id: 'OrgSelectionRequired' });

export const MfaRequired = z
  .object({
    status: z.literal('mfa_required'),
    mfaToken: z.string().meta({ description: 'Opaque, single use, 5 minutes: for POST /api/v1/auth/mfa/verify (or TOTP enrolment); never an access token' }),
    methods: z.array(z.enum(['totp', 'recovery_code'])),
    expiresIn: z.number().int(),
    enrolmentRequired: z.boolean().meta({ description: 'The organization requires MFA and none is set up: POST /auth/mfa/totp/setup and /enable with {mfaToken}' }),
  })
  .meta({ id: 'MfaRequired' });

export const AuthOutcome = z.discriminatedUnion('status', [Authenticated, OrgSelectionRequired, MfaRequired]).meta({ id: 'AuthOutcome' });

export const RegisterBody = z.object({ email: Email, password: Password, name: z.string().trim().min(1).max(200).optional() }).meta({ id: 'RegisterRequest' });
export const LoginBody = z
  .object({ email: z.string().max(254), password: Password, organization: z.string().min(1).max(100).optional() })
  .meta({ id: 'LoginRequest' });
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200).optional() }).meta({ id: 'RefreshRequest' });
export const SwitchOrganizationBody = z.object({ organization: z.string().min(1).max(100) }).meta({ id: 'SwitchOrganizationRequest' });
export const IntermediateTokenBody = z.object({ intermediateToken: z.string().min(1).max(200) });
export const ExchangeBody = z.object({ intermediateToken: z.string().min(1).max(200), organization: z.string().min(1).max(100) });
export const Accepted = z.object({ status: z.literal('accepted') }).meta({ id: 'Accepted' });

export const SessionView = z
  .object({
    id: z.string(),
    current: z.boolean(),
    organizationId: z.string().nullable(),
    device: z.string().meta({ description: 'Browser and system, from the User-Agent' }),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Session' });
