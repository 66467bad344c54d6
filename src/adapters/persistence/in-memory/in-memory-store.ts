import { AsyncLocalStorage } from 'node:async_hooks';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.port.js';
import type { AuditEvent } from '../../../domain/audit/audit-event.js';
import type { BillingCheckout } from '../../../domain/billing/billing-checkout.js';
import type { IdentityLink } from '../../../application/ports/identity-link-repository.port.js';
import type { ProcessedBillingEvent } from '../../../domain/billing/processed-billing-event.js';
import type { OnboardingProgress } from '../../../domain/onboarding/onboarding-progress.js';
import type { OneTimeToken } from '../../../domain/credentials/one-time-token.js';
import type { RecoveryCode } from '../../../domain/credentials/recovery-code.js';
import type { TotpFactor } from '../../../domain/credentials/totp-factor.js';
import type { OutboxMessage } from '../../../domain/mail/outbox-message.js';
import type { Session } from '../../../domain/credentials/session.js';
import type { SigningKey } from '../../../domain/credentials/signing-key.js';
import type { Entity } from '../../../domain/tenancy/entity.js';
import type { EntityAccessGrant } from '../../../domain/tenancy/entity-access-grant.js';
import type { Membership } from '../../../domain/tenancy/membership.js';
import type { Organization } from '../../../domain/tenancy/organization.js';
import type { OrganizationRole } from '../../../domain/tenancy/organization-role.js';
import type { User } from '../../../domain/tenancy/user.js';

/** One refresh-token hash of a session's family. */
export interface RefreshTokenRecord {
  tokenHash: string;
  sessionId: string;
  createdAt: Date;
  consumedAt: Date | null;
}

/**
 * The "tables". Stored records are private copies and are never mutated in place: a change
 * stores a new copy. That makes a snapshot a set of shallow Map copies.
 */
export interface Tables {
  orgs: Map<string, Organization>;
  users: Map<string, User>;
  memberships: Map<string, Membership>;
  entities: Map<string, Entity>;
  /** Custom roles by id. */
  customRoles: Map<string, OrganizationRole>;
  /** Entity grants by id. */
  entityGrants: Map<string, EntityAccessGrant>;
  sessions: Map<string, Session>;
  /** By token hash. */
  refreshTokens: Map<string, RefreshTokenRecord>;
  oneTimeTokens: Map<string, OneTimeToken>;
  /** Attempts counted against a one-time token (column `attempts`), by token id; absent means 0. */
  oneTimeTokenAttempts: Map<string, number>;
  /** By user id (one factor per user). */
  totpFactors: Map<string, TotpFactor>;
  recoveryCodes: Map<string, RecoveryCode>;
  /** By kid. */
  signingKeys: Map<string, SigningKey>;
  audit: Map<string, AuditEvent>;
  outbox: Map<string, OutboxMessage>;
  /** Idempotency ledger, by event id. */
  billingEvents: Map<string, ProcessedBillingEvent>;
  /** By checkout session id. */
  billingCheckouts: Map<string, BillingCheckout>;
  /** By tenant id. */
  onboarding: Map<string, OnboardingProgress>;
  /** Identity-provider links by `kind:externalId`, in insertion order (the `seq` column). */
  identityLinks: Map<string, IdentityLinkRecord>;
  /** Identity-provider webhook ledger, by event id. */
  identityEvents: Map<string, IdentityEventRecord>;
}

/** One row of `identity_links`: the link and its insertion number (oldest first). */
export interface IdentityLinkRecord {
  link: IdentityLink;
  seq: number;
}

/** One row of `identity_events`. */
export interface IdentityEventRecord {
  eventId: string;
  objectType: string;
  action: string;
  receivedAt: Date;
}

function emptyTables(): Tables {
  return {
    orgs: new Map(),
    users: new Map(),
    memberships: new Map(),
    entities: new Map(),
    customRoles: new Map(),
    entityGrants: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    oneTimeTokens: new Map(),
    oneTimeTokenAttempts: new Map(),
    totpFactors: new Map(),
    recoveryCodes: new Map(),
    signingKeys: new Map(),
    audit: new Map(),
    outbox: new Map(),
    billingEvents: new Map(),
    billingCheckouts: new Map(),
    onboarding: new Map(),
    identityLinks: new Map(),
    identityEvents: new Map(),
  };
}

function snapshotOf(tables: Tables): Tables {
  return {
    orgs: new Map(tables.orgs),
    users: new Map(tables.users),
    memberships: new Map(tables.memberships),
    entities: new Map(tables.entities),
    customRoles: new Map(tables.customRoles),
    entityGrants: new Map(tables.entityGrants),
    sessions: new Map(tables.sessions),
    refreshTokens: new Map(tables.refreshTokens),
    oneTimeTokens: new Map(tables.oneTimeTokens),
    oneTimeTokenAttempts: new Map(tables.oneTimeTokenAttempts),
    totpFactors: new Map(tables.totpFactors),
    recoveryCodes: new Map(tables.recoveryCodes),
    signingKeys: new Map(tables.signingKeys),
    audit: new Map(tables.audit),
    outbox: new Map(tables.outbox),
    billingEvents: new Map(tables.billingEvents),
    billingCheckouts: new Map(tables.billingCheckouts),
    onboarding: new Map(tables.onboarding),
    identityLinks: new Map(tables.identityLinks),
    identityEvents: new Map(tables.identityEvents),
  };
}

/**
 * A deep copy keeping the prototype, so class instances keep their methods and getters.
 * Properties are defined, not assigned, as class fields are: a setter on the prototype
 * (MikroORM installs some once initialized in the same process) must not intercept them.
 */
export function copyOf<T extends object>(value: T): T {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as T;
  for (const [key, field] of Object.entries(structuredClone({ ...value }))) {
    Object.defineProperty(copy, key, { value: field, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

/**
 * The data and the unit of work. Transactions are serialized by an async mutex, and so is
 * every statement made outside one: a statement never observes a transaction's uncommitted
 * changes, and a rollback (restoring the snapshot taken at `run`) never erases a write made
 * by someone else meanwhile. A nested `run` joins the outer transaction (AsyncLocalStorage).
 */
export class InMemoryStore implements UnitOfWork {
  #tables: Tables = emptyTables();
  #queue: Promise<void> = Promise.resolve();
  readonly #transaction = new AsyncLocalStorage<true>();
  /** Objects this store handed out or saved: `save` updates them and never re-inserts them. */
  readonly persisted = new WeakSet<object>();

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#transaction.getStore()) return work();
    return this.#exclusive(async () => {
      const snapshot = snapshotOf(this.#tables);
      try {
        return await this.#transaction.run(true, work);
      } catch (error) {
        this.#tables = snapshot;
        throw error;
      }
    });
  }

  /**
   * One atomic statement over the tables. `change` must check everything before it writes
   * anything: it is not rolled back on its own (only a surrounding `run` is).
   */
  async statement<T>(change: (tables: Tables) => T): Promise<T> {
    if (this.#transaction.getStore()) return change(this.#tables);
    return this.#exclusive(async () => change(this.#tables));
  }

  /** A copy of a stored record for a reader (marked as persisted), or null. */
  one<T extends object>(record: T | undefined): T | null {
    return record ? (this.many([record])[0] ?? null) : null;
  }

  /** Copies of stored records for a reader, marked as persisted. */
  many<T extends object>(records: Iterable<T>): T[] {
    const copies = [...records].map(copyOf);
    for (const copy of copies) this.persisted.add(copy);
    return copies;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
