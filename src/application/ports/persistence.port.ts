import type { AccessSnapshotReader } from './access-snapshot-reader.port.js';
import type { AuditLog } from './audit-log.port.js';
import type { BillingCheckoutRepository } from './billing-checkout-repository.port.js';
import type { BillingEventLedger } from './billing-event-ledger.port.js';
import type { CustomRoleRepository } from './custom-role-repository.port.js';
import type { EntityGrantRepository } from './entity-grant-repository.port.js';
import type { EntityRepository } from './entity-repository.port.js';
import type { IdentityEventLedger } from './identity-event-ledger.port.js';
import type { IdentityLinkRepository } from './identity-link-repository.port.js';
import type { MembershipRepository } from './membership-repository.port.js';
import type { OneTimeTokenRepository } from './one-time-token-repository.port.js';
import type { OnboardingRepository } from './onboarding-repository.port.js';
import type { OrganizationRepository } from './organization-repository.port.js';
import type { OutboxRepository } from './outbox-repository.port.js';
import type { SessionRepository } from './session-repository.port.js';
import type { RecoveryCodeRepository } from './recovery-code-repository.port.js';
import type { SigningKeyRepository } from './signing-key-repository.port.js';
import type { TotpFactorRepository } from './totp-factor-repository.port.js';
import type { UnitOfWork } from './unit-of-work.port.js';
import type { UserRepository } from './user-repository.port.js';

/** Every repository of one store, sharing one unit of work. An adapter provides all of them. */
export interface Persistence {
  orgs: OrganizationRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  entities: EntityRepository;
  /** Organizations' custom roles. */
  customRoles: CustomRoleRepository;
  /** Per-entity grants. */
  entityGrants: EntityGrantRepository;
  /** One consistent read of an organization's access data (the access view cache reads it). */
  accessSnapshots: AccessSnapshotReader;
  sessions: SessionRepository;
  oneTimeTokens: OneTimeTokenRepository;
  signingKeys: SigningKeyRepository;
  totpFactors: TotpFactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  audit: AuditLog;
  /** The mail outbox (written by the Mailer, drained by the MailWorker). */
  outbox: OutboxRepository;
  /** Idempotency ledger of billing webhooks. */
  billingEvents: BillingEventLedger;
  /** Provisioning state per checkout session. */
  billingCheckouts: BillingCheckoutRepository;
  /** Organizations' onboarding checklists. */
  onboarding: OnboardingRepository;
  /** The identity provider mirror's links (Stytch mode; empty with the built-in provider). */
  identityLinks: IdentityLinkRepository;
  /** Idempotency ledger of identity-provider webhooks. */
  identityEvents: IdentityEventLedger;
  uow: UnitOfWork;
  /** Whether the store answers (readiness). */
  ping(): Promise<boolean>;
}
