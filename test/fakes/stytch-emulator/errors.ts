/**
 * A Stytch API error as the emulator answers it: `{status_code, request_id, error_type,
 * error_message, error_url}`. Thrown by the emulator's handlers, turned into the JSON body by
 * the server, and turned back into a `StytchError` by the real SDK.
 */
export class StytchFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON body Stytch sends for an error. */
export function errorBody(status: number, errorType: string, message: string, requestId: string): Record<string, unknown> {
  return { status_code: status, request_id: requestId, error_type: errorType, error_message: message, error_url: `https://stytch.com/docs/api/errors/${status}#${errorType}` };
}

export const notFound = {
  organization: () => new StytchFailure(404, 'organization_not_found', 'Organization could not be found.'),
  member: () => new StytchFailure(404, 'member_not_found', 'Member could not be found.'),
  session: () => new StytchFailure(404, 'session_not_found', 'Session could not be found.'),
  intermediateSession: () => new StytchFailure(404, 'intermediate_session_not_found', 'Intermediate session could not be found.'),
  magicLink: () => new StytchFailure(404, 'magic_link_not_found', 'Magic link could not be authenticated because it was either already used or expired.'),
  totp: () => new StytchFailure(404, 'totp_not_found', 'TOTP registration could not be found.'),
};

export const badRequest = (message: string) => new StytchFailure(400, 'bad_request', message);
export const unauthorizedCredentials = () => new StytchFailure(401, 'unauthorized_credentials', 'Unauthorized credentials.');
export const otpCodeNotFound = () => new StytchFailure(401, 'otp_code_not_found', 'The code could not be authenticated; it is wrong, expired or already used.');
