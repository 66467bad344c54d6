/**
 * Runs the Stytch emulator on a fixed port for local development, printing every email Stytch
 * would send (magic links, invites, resets) — see docs/stytch-emulator.md.
 *
 *   npx tsx test/fakes/stytch-emulator/serve.ts
 *
 * STYTCH_EMULATOR_PORT (default 9010) picks the port; STYTCH_EMULATOR_SEED names a JSON file of
 * organizations and members to create at start:
 *   {"organizations": [{"name": "Acme", "slug": "acme", "mfaPolicy": "OPTIONAL",
 *     "members": [{"email": "ada@acme.test", "password": "…", "roles": ["stytch_admin"]}]}]}
 */
import { readFileSync } from 'node:fs';
import { StytchEmulator } from '../stytch-emulator.js';

interface SeedFile {
  organizations?: Array<Parameters<StytchEmulator['seedOrganization']>[0] & { members?: Array<Parameters<StytchEmulator['seedMember']>[1]> }>;
}

const port = Number(process.env['STYTCH_EMULATOR_PORT'] ?? 9010);
const emulator = await StytchEmulator.start({
  port,
  onEmail: (email) => console.log(`[stytch-emulator] ${email.kind} email to ${email.emailAddress}: ${email.link ?? `token=${email.token}`}`),
});

const seedPath = process.env['STYTCH_EMULATOR_SEED'];
if (seedPath) {
  const seed = JSON.parse(readFileSync(seedPath, 'utf8')) as SeedFile;
  for (const { members = [], ...organization } of seed.organizations ?? []) {
    const created = emulator.seedOrganization(organization);
    for (const member of members) emulator.seedMember(created.organization_id, member);
    console.log(`[stytch-emulator] seeded ${created.organization_slug} (${created.organization_id}) with ${members.length} member(s)`);
  }
}

console.log(`[stytch-emulator] listening on ${emulator.url}
  IDENTITY_PROVIDER=stytch
  STYTCH_API_URL=${emulator.url}
  STYTCH_PROJECT_ID=${emulator.projectId}
  STYTCH_SECRET=${emulator.secret}`);

const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
