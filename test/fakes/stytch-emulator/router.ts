import type {
  B2BDiscoveryIntermediateSessionsExchangeResponse,
  B2BDiscoveryOrganizationsCreateResponse,
  B2BDiscoveryOrganizationsListResponse,
  B2BMagicLinksAuthenticateResponse,
  B2BMagicLinksDiscoveryAuthenticateResponse,
  B2BMagicLinksEmailDiscoverySendResponse,
  B2BMagicLinksEmailInviteResponse,
  B2BOrganizationsCreateResponse,
  B2BOrganizationsDeleteResponse,
  B2BOrganizationsGetResponse,
  B2BOrganizationsMembersCreateResponse,
  B2BOrganizationsMembersDeleteResponse,
  B2BOrganizationsMembersDeleteTOTPResponse,
  B2BOrganizationsMembersGetResponse,
  B2BOrganizationsMembersSearchResponse,
  B2BOrganizationsMembersUpdateResponse,
  B2BOrganizationsSearchResponse,
  B2BOrganizationsUpdateResponse,
  B2BPasswordsAuthenticateResponse,
  B2BPasswordsDiscoveryAuthenticateResponse,
  B2BPasswordsDiscoveryEmailResetResponse,
  B2BPasswordsDiscoveryEmailResetStartResponse,
  B2BPasswordsEmailResetResponse,
  B2BPasswordsEmailResetStartResponse,
  B2BPasswordsMigrateResponse,
  B2BRBACOrganizationsGetOrgPolicyResponse,
  B2BRBACPolicyResponse,
  B2BRecoveryCodesGetResponse,
  B2BRecoveryCodesRecoverResponse,
  B2BRecoveryCodesRotateResponse,
  B2BSessionsAttestResponse,
  B2BSessionsAuthenticateResponse,
  B2BSessionsExchangeResponse,
  B2BSessionsGetJWKSResponse,
  B2BSessionsGetResponse,
  B2BSessionsRevokeResponse,
  B2BTOTPsAuthenticateResponse,
  B2BTOTPsCreateResponse,
} from 'stytch';
import { badRequest } from './errors.js';

/**
 * Every response the emulator sends, by the SDK's own interface name. A route declares one of
 * these names and its handler must return exactly that type, so `tsc` refuses a response that
 * lacks a required field; the runtime check in the types test finds the interface by the name.
 */
export interface ResponseTypes {
  B2BOrganizationsCreateResponse: B2BOrganizationsCreateResponse;
  B2BOrganizationsGetResponse: B2BOrganizationsGetResponse;
  B2BOrganizationsUpdateResponse: B2BOrganizationsUpdateResponse;
  B2BOrganizationsDeleteResponse: B2BOrganizationsDeleteResponse;
  B2BOrganizationsSearchResponse: B2BOrganizationsSearchResponse;
  B2BOrganizationsMembersCreateResponse: B2BOrganizationsMembersCreateResponse;
  B2BOrganizationsMembersGetResponse: B2BOrganizationsMembersGetResponse;
  B2BOrganizationsMembersUpdateResponse: B2BOrganizationsMembersUpdateResponse;
  B2BOrganizationsMembersDeleteResponse: B2BOrganizationsMembersDeleteResponse;
  B2BOrganizationsMembersSearchResponse: B2BOrganizationsMembersSearchResponse;
  B2BOrganizationsMembersDeleteTOTPResponse: B2BOrganizationsMembersDeleteTOTPResponse;
  B2BMagicLinksEmailDiscoverySendResponse: B2BMagicLinksEmailDiscoverySendResponse;
  B2BMagicLinksEmailInviteResponse: B2BMagicLinksEmailInviteResponse;
  B2BMagicLinksDiscoveryAuthenticateResponse: B2BMagicLinksDiscoveryAuthenticateResponse;
  B2BMagicLinksAuthenticateResponse: B2BMagicLinksAuthenticateResponse;
  B2BDiscoveryOrganizationsListResponse: B2BDiscoveryOrganizationsListResponse;
  B2BDiscoveryOrganizationsCreateResponse: B2BDiscoveryOrganizationsCreateResponse;
  B2BDiscoveryIntermediateSessionsExchangeResponse: B2BDiscoveryIntermediateSessionsExchangeResponse;
  B2BPasswordsAuthenticateResponse: B2BPasswordsAuthenticateResponse;
  B2BPasswordsDiscoveryAuthenticateResponse: B2BPasswordsDiscoveryAuthenticateResponse;
  B2BPasswordsEmailResetStartResponse: B2BPasswordsEmailResetStartResponse;
  B2BPasswordsMigrateResponse: B2BPasswordsMigrateResponse;
  B2BPasswordsEmailResetResponse: B2BPasswordsEmailResetResponse;
  B2BPasswordsDiscoveryEmailResetStartResponse: B2BPasswordsDiscoveryEmailResetStartResponse;
  B2BPasswordsDiscoveryEmailResetResponse: B2BPasswordsDiscoveryEmailResetResponse;
  B2BTOTPsCreateResponse: B2BTOTPsCreateResponse;
  B2BTOTPsAuthenticateResponse: B2BTOTPsAuthenticateResponse;
  B2BRecoveryCodesRecoverResponse: B2BRecoveryCodesRecoverResponse;
  B2BRecoveryCodesGetResponse: B2BRecoveryCodesGetResponse;
  B2BRecoveryCodesRotateResponse: B2BRecoveryCodesRotateResponse;
  B2BSessionsAuthenticateResponse: B2BSessionsAuthenticateResponse;
  B2BSessionsAttestResponse: B2BSessionsAttestResponse;
  B2BSessionsGetResponse: B2BSessionsGetResponse;
  B2BSessionsRevokeResponse: B2BSessionsRevokeResponse;
  B2BSessionsExchangeResponse: B2BSessionsExchangeResponse;
  B2BSessionsGetJWKSResponse: B2BSessionsGetJWKSResponse;
  B2BRBACPolicyResponse: B2BRBACPolicyResponse;
  B2BRBACOrganizationsGetOrgPolicyResponse: B2BRBACOrganizationsGetOrgPolicyResponse;
}

export type ResponseTypeName = keyof ResponseTypes;

/** One request as a handler sees it: the JSON body (or the query for GET), path parameters, the request id to echo. */
export class RouteContext {
  constructor(
    readonly body: Record<string, unknown>,
    readonly params: Record<string, string>,
    readonly requestId: string,
  ) {}

  /** A required non-empty string field; missing → 400 bad_request. */
  text(field: string): string {
    const value = this.body[field] ?? this.params[field];
    if (typeof value !== 'string' || value === '') throw badRequest(`${field} is required`);
    return value;
  }

  optionalText(field: string): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
    return value;
  }

  optionalNumber(field: string): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw badRequest(`${field} must be a number`);
    return number;
  }

  optionalTexts(field: string): string[] | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`${field} must be an array of strings`);
    return value as string[];
  }

  /** The fields `request_id` and `status_code` every success carries. */
  get ok(): { request_id: string; status_code: number } {
    return { request_id: this.requestId, status_code: 200 };
  }
}

export interface Route {
  method: string;
  path: string;
  responseType: ResponseTypeName;
  match(method: string, path: string): Record<string, string> | null;
  handle(ctx: RouteContext): Promise<object>;
}

/** Declares a route `METHOD /v1/…/:param` answering with the SDK type named `responseType`. */
export function route<K extends ResponseTypeName>(method: string, path: string, responseType: K, handler: (ctx: RouteContext) => ResponseTypes[K] | Promise<ResponseTypes[K]>): Route {
  const keys: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`);
  return {
    method,
    path,
    responseType,
    match(m, p) {
      if (m !== method) return null;
      const found = pattern.exec(p);
      if (!found) return null;
      return Object.fromEntries(keys.map((key, i) => [key, decodeURIComponent(found[i + 1] ?? '')]));
    },
    handle: async (ctx) => handler(ctx),
  };
}
