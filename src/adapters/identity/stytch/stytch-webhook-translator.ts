import { z } from 'zod';
import type { DirectoryChange, DirectoryEvent } from '../../../application/ports/identity-webhook-source.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { externalMember, externalOrganization, type RoleOf } from './stytch-objects.js';

/** What the translator needs to know about this Gatehouse's Stytch project. */
export interface StytchWebhookSettings {
  projectId: string;
  /** STYTCH_ROLE_MAP applied to a member's Stytch role ids. */
  roleOf: RoleOf;
}

const Timestamp = z.iso.datetime({ offset: true });

/**
 * The body of a Stytch webhook (integration notes): the event type string is not in it, so
 * dispatch is on `object_type` + `action`; on CREATE and UPDATE the object's full state is under
 * its type's name. Unknown fields are kept out of the way (`loose`), never trusted.
 */
const Envelope = z
  .object({
    project_id: z.string(),
    event_id: z.string().min(1).max(255),
    action: z.string().max(32),
    object_type: z.string().max(64),
    id: z.string().min(1).max(255).optional(),
    timestamp: Timestamp.optional(),
    vertical: z.string().optional(),
    member: z.unknown().optional(),
    organization: z.unknown().optional(),
  })
  .loose();

/** The fields of Stytch's `Member` (stytch/types/lib/b2b/organizations.d.ts) the mirror reads. */
const StytchMember = z
  .object({
    organization_id: z.string().min(1).max(255),
    member_id: z.string().min(1).max(255),
    email_address: z.string().min(3).max(320),
    status: z.string(),
    name: z.string().max(500).default(''),
    email_address_verified: z.boolean().default(false),
    is_locked: z.boolean().default(false),
    roles: z.array(z.object({ role_id: z.string() }).loose()).default([]),
    updated_at: Timestamp.optional(),
  })
  .loose();

/** The fields of Stytch's `Organization` the mirror reads. */
const StytchOrganization = z
  .object({
    organization_id: z.string().min(1).max(255),
    organization_name: z.string().max(500),
    organization_slug: z.string().max(128),
    mfa_policy: z.string().default('OPTIONAL'),
    email_allowed_domains: z.array(z.string().max(253)).default([]),
    email_jit_provisioning: z.string().default('NOT_ALLOWED'),
    organization_external_id: z.string().max(255).optional(),
    updated_at: Timestamp.optional(),
  })
  .loose();

/**
 * Turns a verified Stytch webhook body into a DirectoryEvent: no Stytch type crosses the port.
 * Deliveries about another project, another vertical or objects the mirror does not track come out
 * as `ignored` (acknowledged and recorded). A member Stytch deleted or locked is `removed`: its
 * sessions must end now, not when a lock expires. Signed bodies of an unexpected shape are
 * VALIDATION_FAILED (and the provider retries, which a fix of the adapter then answers).
 */
export function translateStytchWebhook(body: unknown, settings: StytchWebhookSettings): DirectoryEvent {
  const envelope = parse(Envelope, body);
  const at = envelope.timestamp !== undefined ? new Date(envelope.timestamp) : null;
  const event = (change: DirectoryChange): DirectoryEvent => ({ eventId: envelope.event_id, objectType: envelope.object_type, action: envelope.action, change });
  if (envelope.project_id !== settings.projectId) return event({ kind: 'ignored', reason: 'another project' });
  if (envelope.vertical !== undefined && envelope.vertical !== 'B2B') return event({ kind: 'ignored', reason: `vertical ${envelope.vertical}` });
  const upsert = envelope.action === 'CREATE' || envelope.action === 'UPDATE';
  if (envelope.object_type === 'member') {
    if (envelope.action === 'DELETE') return event({ kind: 'member_removed', externalMemberId: idOf(envelope.id, envelope.member, 'member_id'), at });
    if (upsert) return event({ kind: 'member_upserted', member: externalMember(parse(StytchMember, envelope.member), settings.roleOf, at) });
  }
  if (envelope.object_type === 'organization') {
    if (envelope.action === 'DELETE') return event({ kind: 'organization_removed', externalOrganizationId: idOf(envelope.id, envelope.organization, 'organization_id'), at });
    if (upsert) {
      const organization = parse(StytchOrganization, envelope.organization);
      // Gatehouse names the organizations it creates at Stytch with its own id. The CREATE event of
      // such an organization can arrive before Gatehouse's own commit links it; mirroring it then
      // would make a second local organization. Gatehouse's commit (or its undo) settles it instead.
      if (envelope.action === 'CREATE' && organization.organization_external_id) return event({ kind: 'ignored', reason: 'created by Gatehouse' });
      return event({ kind: 'organization_upserted', organization: externalOrganization(organization, at) });
    }
  }
  return event({ kind: 'ignored', reason: `${envelope.object_type}.${envelope.action}` });
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError('VALIDATION_FAILED', 'The webhook body is not a Stytch event Gatehouse understands', {
      issues: parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(','),
    });
  }
  return parsed.data;
}

/** The deleted object's id: the envelope's `id`, else the object's own id field. */
function idOf(id: string | undefined, object: unknown, field: 'member_id' | 'organization_id'): string {
  const own = typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[field] : undefined;
  const found = id ?? (typeof own === 'string' && own.length > 0 ? own : undefined);
  if (found === undefined) throw new DomainError('VALIDATION_FAILED', 'The webhook body names no deleted object', { issues: 'id' });
  return found;
}
