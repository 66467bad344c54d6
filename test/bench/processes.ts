import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const SERVER_ENTRY = 'dist/infrastructure/server/main.js';

/** How `npm start` runs the server (package.json): its environment assignments and Node flags. */
export interface StartScript {
  env: Record<string, string>;
  nodeFlags: string[];
}

/** Reads package.json's start script, so a benchmark measures the very process `npm start` runs. */
export function startScript(root: string): StartScript {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  const match = new RegExp(`((?:\\b[A-Z_]+=\\S+ )*)\\bnode((?: --\\S+)*) ${SERVER_ENTRY}`).exec(start);
  if (!match) throw new Error(`package.json's start script does not run ${SERVER_ENTRY}: ${start}`);
  const env = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  return { env, nodeFlags: match[2]!.trim().split(/\s+/).filter(Boolean) };
}

/** The start script as one line for a printed table: `GLIBC_TUNABLES=… node --flags`. */
export function describeStartScript(root: string): string {
  const { env, nodeFlags } = startScript(root);
  return [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', ...nodeFlags].join(' ');
}

/** Starts the compiled Gatehouse server as `npm start` does and waits until `url` answers 200. */
export function startGatehouse(root: string, env: Record<string, string>, url: string): Promise<ChildProcess> {
  const script = startScript(root);
  return startProcess(join(root, SERVER_ENTRY), { ...script.env, ...env }, url, script.nodeFlags);
}

/** Starts a node entry in its own process (`.ts` through tsx) and waits until `url` answers 200. */
export async function startProcess(entry: string, env: Record<string, string>, url: string, nodeFlags: string[] = [], timeoutMs = 120_000): Promise<ChildProcess> {
  const args = [...nodeFlags, ...(entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry])];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not answer ${url}:\n${output}`);
}

/** Resident memory (current and peak) of a process, in MiB, from /proc. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

/** The pids of a process's children, from /proc. */
export function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One load-test row of the printed tables. */
export interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}
