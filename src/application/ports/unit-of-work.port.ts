/**
 * Runs work atomically: every repository call made inside `run` joins one
 * transaction, committed when `work` resolves and rolled back when it throws.
 */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}
