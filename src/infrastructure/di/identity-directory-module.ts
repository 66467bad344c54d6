import type { Container } from 'inversify';
import type { IdentityDirectory } from '../../application/ports/identity-directory.port.js';
import { LocalDirectory } from '../../adapters/identity/builtin/local-directory.js';
import type { Config } from '../config/config.schema.js';
import { stytchConfigured } from './stytch-config.js';
import { T } from './tokens.js';

/**
 * The directory tenancy writes go to besides the local store (T.IdentityDirectory): Stytch's,
 * over the process's one SDK client (stytch-module.ts), when Stytch is the identity provider;
 * otherwise none — the local store is the directory (LocalDirectory does nothing).
 */
export function bindIdentityDirectory(c: Container, config: Config): void {
  if (!stytchConfigured(config)) c.bind<IdentityDirectory>(T.IdentityDirectory).toConstantValue(new LocalDirectory());
  // Stytch mode binds StytchDirectory in stytch-module.ts.
}
