import type { Container } from 'inversify';
import type { B2BClient } from 'stytch';
import type { IdentityDirectory } from '../../application/ports/identity-directory.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import { LocalDirectory } from '../../adapters/identity/builtin/local-directory.js';
import { StytchDirectory } from '../../adapters/identity/stytch/stytch-directory.js';
import { parseRoleMap } from '../../adapters/identity/stytch/stytch-role-map.js';
import type { Config } from '../config/config.schema.js';
import { stytchConfigured } from './stytch-module.js';
import { T } from './tokens.js';

/**
 * The directory tenancy writes go to besides the local store (T.IdentityDirectory): Stytch's,
 * over the process's one SDK client (stytch-module.ts), when Stytch is the identity provider;
 * otherwise none — the local store is the directory (LocalDirectory does nothing).
 */
export function bindIdentityDirectory(c: Container, config: Config): void {
  if (!stytchConfigured(config)) {
    c.bind<IdentityDirectory>(T.IdentityDirectory).toConstantValue(new LocalDirectory());
    return;
  }
  const roleMap = parseRoleMap(config.STYTCH_ROLE_MAP);
  c.bind<IdentityDirectory>(T.IdentityDirectory).toResolvedValue(
    (p: Persistence, client: B2BClient) => new StytchDirectory({ client, links: p.identityLinks, roleMap }),
    [T.Persistence, T.StytchClient],
  );
}
