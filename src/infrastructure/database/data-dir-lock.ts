import { open, readFile, rm } from 'node:fs/promises';

/** Lock files this process holds. */
const heldHere = new Set<string>();

/**
 * An exclusive claim on an embedded data directory, held in `<dataDir>.lock` (beside the
 * directory, which holds PostgreSQL's files only). PGlite has no lock of its own, and two processes on one data directory (the server and `gatehouse migrate`, say)
 * would corrupt it. A lock whose process is gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<{ release(): Promise<void> }> {
  const path = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(path);
      return {
        async release() {
          heldHere.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // Our own pid in a lock we do not hold: a previous run of a restarted container (pid 1 again).
      const inUse = holder === process.pid ? heldHere.has(path) : Number.isInteger(holder) && holder > 0 && isAlive(holder);
      if (inUse) {
        throw new Error(`The embedded database in ${dataDir} is in use by process ${holder}; stop it first, or set DATABASE_URL`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
