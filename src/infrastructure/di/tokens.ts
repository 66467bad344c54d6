/** Every injection token, in one place. */
export const T = {
  Config: Symbol.for('Config'),
  Logger: Symbol.for('Logger'),
  Clock: Symbol.for('Clock'),
  Persistence: Symbol.for('Persistence'),
  Bus: Symbol.for('InvalidationBus'),
  HashPool: Symbol.for('HashWorkerPool'),
  PasswordHasher: Symbol.for('PasswordHasher'),
  AccessTokens: Symbol.for('AccessTokenService'),
  SessionStatus: Symbol.for('SessionStatusView'),
  AuthSettings: Symbol.for('AuthSettings'),
  Audit: Symbol.for('AuditRecorder'),
  SessionIssuer: Symbol.for('SessionIssuer'),
  OrganizationEntry: Symbol.for('OrganizationEntry'),
  OrgContext: Symbol.for('OrgContext'),
  HttpDeps: Symbol.for('HttpDeps'),
  Readiness: Symbol.for('Readiness'),
} as const;
