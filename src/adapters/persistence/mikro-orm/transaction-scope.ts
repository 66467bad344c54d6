import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.port.js';

/** The open transaction of a unit of work. */
interface Transaction {
  em: EntityManager;
  /** Tail of the savepoint blocks run so far; the next one waits for it. */
  savepoints: Promise<void>;
}

/**
 * Hands every repository call the EntityManager it must use, and is the adapter's unit of work.
 *
 * Inside `run`, that is the transaction's EM, found through AsyncLocalStorage so that ports
 * stay free of transaction parameters. Outside, it is a fresh fork per call: domain objects
 * are loaded by one EM and saved by another, so nothing may rely on an identity map.
 * Repositories never let MikroORM manage entities (reads use `disableIdentityMap`, writes
 * are `insert`/`nativeUpdate`/SQL), so the implicit flush at commit has nothing to write.
 */
export class TransactionScope implements UnitOfWork {
  readonly #current = new AsyncLocalStorage<Transaction>();

  constructor(private readonly orm: MikroORM) {}

  /** Runs `work` in one transaction; a nested `run` joins the outer transaction. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#current.getStore()) return work();
    return this.orm.em.fork().transactional((em) => this.#current.run({ em, savepoints: Promise.resolve() }, work));
  }

  /** The EM for one repository call. */
  em(): EntityManager {
    return this.#current.getStore()?.em ?? this.orm.em.fork();
  }

  /** Runs several statements atomically: inside the current unit of work, or in a transaction of their own. */
  atomic<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = this.#current.getStore();
    if (current) return work(current.em);
    return this.run(() => work(this.em()));
  }

  /**
   * Runs one write that may violate a constraint. Inside a transaction it runs under a savepoint:
   * PostgreSQL aborts the whole transaction on an error, and the caller must be able to catch
   * the translated DomainError (say TENANT_SLUG_TAKEN) and carry on, as with the in-memory adapter.
   */
  write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = this.#current.getStore();
    return current ? this.#underSavepoint(current, work) : work(this.orm.em.fork());
  }

  /** Like `write`, for several writes that must succeed or fail together. */
  guarded<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = this.#current.getStore();
    return current ? this.#underSavepoint(current, work) : this.orm.em.fork().transactional(work);
  }

  /**
   * Savepoints nest; they cannot interleave. Writes issued concurrently inside one unit of work
   * (`Promise.all` of saves) therefore take turns. `work` must use only the EM it is given.
   */
  #underSavepoint<T>(transaction: Transaction, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const result = transaction.savepoints.then(() => transaction.em.transactional(work));
    transaction.savepoints = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
