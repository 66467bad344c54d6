import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createMikroOrmPersistence } from '../../adapters/persistence/mikro-orm/index.js';
import { assertPasswordAcceptable } from '../../domain/credentials/password-policy.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { Organization } from '../../domain/tenancy/organization.js';
import { slugify } from '../../domain/tenancy/slug.js';
import { User } from '../../domain/tenancy/user.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDatabase } from '../database/open-database.js';
import { createGatehouse } from '../server/gatehouse.js';
import { T } from '../di/tokens.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                                   apply pending database migrations
  rotate-keys                               make a new signing key; the old one verifies until its tokens expire
  create-admin --email E --org NAME         create a user (password from GATEHOUSE_ADMIN_PASSWORD, or generated
                                            and printed once) who is admin of a new organization
  restore-organization --org SLUG           move an archived or suspended organization back to active`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { email: { type: 'string' }, org: { type: 'string' } } });
  const command = positionals[0];
  if (!command || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 64;
  }
  const config = loadConfig();
  const database = await openDatabase({ ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : {}), dataDir: config.DATA_DIR });
  try {
    const applied = await database.migrate();
    if (command === 'migrate') {
      process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
      return 0;
    }
    const persistence = createMikroOrmPersistence(database.orm);
    const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence, databaseUrl: database.url });
    try {
      switch (command) {
        case 'rotate-keys': {
          const { kid } = await gatehouse.deps.tokens.rotate();
          process.stdout.write(`New signing key ${kid} is active.\n`);
          return 0;
        }
        case 'restore-organization': {
          const org = values.org ? await persistence.orgs.findBySlug(values.org) : null;
          if (!org) return fail(`No organization with slug "${values.org ?? ''}".`);
          org.restore(new Date());
          await persistence.orgs.save(org);
          process.stdout.write(`Organization ${org.slug} is active again.\n`);
          return 0;
        }
        case 'create-admin': {
          if (!values.email || !values.org) return fail('create-admin needs --email and --org.');
          const email = normalizeEmail(values.email);
          if (await persistence.users.findByEmail(email)) return fail(`A user with email ${email} already exists.`);
          const given = process.env['GATEHOUSE_ADMIN_PASSWORD'] || undefined; // set but empty: unset
          const password = given ?? randomBytes(18).toString('base64url');
          assertPasswordAcceptable(password, { minLength: config.PASSWORD_MIN_LENGTH, maxLength: 1024 });
          const hash = await gatehouse.container.get<PasswordHasher>(T.PasswordHasher).hash(password);
          const now = new Date();
          const org = Organization.create({ id: randomUUID(), slug: slugify(values.org), name: values.org, now });
          const user = User.create({ id: randomUUID(), email, passwordHash: hash, now });
          await persistence.uow.run(async () => {
            await persistence.orgs.save(org);
            await persistence.users.save(user);
            await persistence.memberships.save(Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: 'admin', now }));
          });
          process.stdout.write(`Created ${email}, admin of ${org.slug}.${given ? '' : `\nPassword (shown once): ${password}`}\n`);
          return 0;
        }
        default:
          return fail(`Unknown command "${command}".\n\n${USAGE}`);
      }
    } finally {
      await gatehouse.close();
    }
  } finally {
    await database.close();
  }
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Error: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(1);
  },
);
