/** scrypt cost parameters. */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/**
 * The rows of OWASP's Password Storage Cheat Sheet for scrypt: equal strength,
 * trading memory (128·N·r bytes) for parallel work. The default `n15r8p3` needs 32 MiB a hash.
 */
export const OWASP_SCRYPT_PROFILES = {
  n17r8p1: { ln: 17, r: 8, p: 1 },
  n16r8p2: { ln: 16, r: 8, p: 2 },
  n15r8p3: { ln: 15, r: 8, p: 3 },
  n14r8p5: { ln: 14, r: 8, p: 5 },
  n13r8p10: { ln: 13, r: 8, p: 10 },
  /** Far below OWASP's rows: accepted only with NODE_ENV=test, to keep test suites fast. */
  test_only_n10r8p1: { ln: 10, r: 8, p: 1 },
} as const satisfies Record<string, ScryptParams>;

export type ScryptProfile = keyof typeof OWASP_SCRYPT_PROFILES;

const FORMAT = /^\$scrypt\$v=1\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** A parsed stored hash. */
export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/** `$scrypt$v=1$ln=15,r=8,p=3$<salt b64>$<hash b64>` — versioned so parameters can change and old hashes still verify. */
export function formatHash(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `$scrypt$v=1$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64').replace(/=+$/, '')}$${hash.toString('base64').replace(/=+$/, '')}`;
}

export function parseHash(stored: string): ParsedHash | null {
  const m = FORMAT.exec(stored);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(m[4]!, 'base64'), hash: Buffer.from(m[5]!, 'base64') };
}

export function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.ln === b.ln && a.r === b.r && a.p === b.p;
}
