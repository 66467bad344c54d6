import { DomainError } from '../../../domain/shared/domain-error.js';
import { copyOf } from './in-memory-store.js';

/** An aggregate with an optimistic-lock counter. */
export interface Versioned {
  id: string;
  version: number;
}

/**
 * The in-memory twin of the MikroORM adapter's versioned save: insert a new object; update a
 * known or already-stored one only if its version is the stored one, then bump the version on
 * the stored copy and on the object. `check` runs the unique and foreign-key checks.
 */
export function saveVersioned<T extends Versioned>(
  table: Map<string, T>,
  object: T,
  persisted: WeakSet<object>,
  options: { check: () => void; sameScope?: (stored: T) => boolean },
): void {
  const stored = table.get(object.id);
  const update = persisted.has(object) || stored !== undefined;
  if (update && (!stored || stored.version !== object.version || (options.sameScope && !options.sameScope(stored)))) {
    throw new DomainError('CONCURRENT_MODIFICATION', 'The record was changed by someone else; reload and retry');
  }
  options.check();
  const row = copyOf(object);
  if (update) row.version = object.version + 1;
  table.set(object.id, row);
  object.version = row.version;
  persisted.add(object);
}
