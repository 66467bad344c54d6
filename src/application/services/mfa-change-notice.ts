import type { AuditAction } from '../../domain/audit/audit-event.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { User } from '../../domain/tenancy/user.js';
import type { Mailer } from '../ports/mailer.port.js';
import type { AuditRecorder } from './audit-recorder.js';
import type { RequestMeta } from './request-meta.js';

/** A change to someone's second factors they must hear about (the `change` field of the `mfa_changed` mail). */
export type MfaChange = 'enabled' | 'disabled' | 'recovery_codes_regenerated' | 'recovery_code_used';

const AUDITED: Readonly<Record<MfaChange, AuditAction | null>> = {
  enabled: 'mfa.enabled',
  disabled: 'mfa.disabled',
  recovery_codes_regenerated: 'mfa.recovery_codes_regenerated',
  // A sign-in, audited as auth.login.succeeded by the caller.
  recovery_code_used: null,
};

/**
 * Mails the person (`mfa_changed`) and audits the change. Call it inside the unit of work of the
 * change: the mail goes through the outbox, so it exists if and only if the change committed.
 */
export class MfaChangeNotice {
  constructor(private readonly deps: { mailer: Mailer; audit: AuditRecorder; clock: Clock }) {}

  async record(user: User, change: MfaChange, context: { tenantId: string | null; metadata?: Record<string, string | number | boolean | null> }, meta: RequestMeta): Promise<void> {
    const data: Record<string, string> = { change, occurredAt: this.deps.clock.now().toISOString() };
    if (user.name) data['name'] = user.name;
    if (meta.ip) data['ip'] = meta.ip;
    await this.deps.mailer.enqueue({ to: user.email, template: 'mfa_changed', data });
    const action = AUDITED[change];
    if (action) {
      await this.deps.audit.record({ action, actorUserId: user.id, tenantId: context.tenantId, targetType: 'user', targetId: user.id, metadata: context.metadata ?? {} }, meta);
    }
  }
}
