import type { EntityData, EntityName, FilterQuery, RequiredEntityData } from '@mikro-orm/core';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { translateDatabaseError, violatedConstraint } from './constraint-errors.js';
import type { TransactionScope } from './transaction-scope.js';

/** An aggregate with an optimistic-lock counter. */
export interface Versioned {
  id: string;
  version: number;
}

/**
 * Objects this adapter loaded or saved. Shared by every instance of the adapter, because
 * several instances may serve one database. Lets `save` tell an update from an insert
 * without a read, and keeps a stale save of a row deleted meanwhile from re-inserting it.
 */
const persisted = new WeakSet<object>();

/** Marks an object as coming from the database. */
export function loaded<T extends object>(object: T): T {
  persisted.add(object);
  return object;
}

/**
 * Inserts a new aggregate, or updates a stored one if its version is still the stored one
 * (`UPDATE … WHERE id = ? AND version = ?`), then bumps `version` on the object.
 * An object never seen here but already stored (same id) falls back to the versioned update.
 */
export async function saveVersioned<T extends Versioned>(
  scope: TransactionScope,
  entity: EntityName<T>,
  object: T,
  options: {
    /** Every column except id and version. */
    columns: EntityData<T>;
    /** Name of the table's primary-key constraint. */
    primaryKey: string;
    /** Extra conditions of the update (the tenant, for tenant-owned rows). */
    where?: Readonly<Record<string, string>>;
  },
): Promise<void> {
  if (!persisted.has(object)) {
    try {
      await scope.write((em) => em.insert(entity, { ...options.columns, id: object.id, version: object.version } as RequiredEntityData<T>));
      persisted.add(object);
      return;
    } catch (error) {
      if (violatedConstraint(error) !== options.primaryKey) throw translateDatabaseError(error);
    }
  }
  const version = object.version;
  let affected: number;
  try {
    affected = await scope.write((em) =>
      em.nativeUpdate(entity, { ...options.where, id: object.id, version } as FilterQuery<T>, { ...options.columns, version: version + 1 } as EntityData<T>),
    );
  } catch (error) {
    throw translateDatabaseError(error);
  }
  // 0 rows: the version moved on, or the row was deleted meanwhile. Either way this copy is stale.
  if (affected === 0) throw new DomainError('CONCURRENT_MODIFICATION', 'The record was changed by someone else; reload and retry');
  object.version = version + 1;
  persisted.add(object);
}
