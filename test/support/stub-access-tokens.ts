import type { AccessTokenService } from '../../src/application/ports/access-token-service.port.js';

/** Access tokens as stand-ins (`at.<sessionId>`) for application tests, where signing is not what is checked. */
export function stubAccessTokens(): AccessTokenService {
  return {
    issue: async (claims) => ({ token: `at.${claims.sid}`, expiresIn: 600, jti: claims.sid }),
    verify: async () => {
      throw new Error('not used');
    },
    jwks: async () => ({ keys: [] }),
    rotate: async () => ({ kid: 'k' }),
  };
}
