import { pino, type Logger } from 'pino';

/**
 * JSON logs. Secrets never reach a log line: credentials, tokens and cookies are
 * redacted wherever they appear in logged objects, and emails are masked.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gatehouse' },
    redact: {
      paths: [
        'password', '*.password', 'newPassword', '*.newPassword', 'currentPassword', '*.currentPassword',
        'token', '*.token', 'refreshToken', '*.refreshToken', 'accessToken', '*.accessToken', 'intermediateToken', '*.intermediateToken',
        'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie',
        'cookie', '*.cookie', 'DATABASE_URL', 'SIGNING_KEY_ENCRYPTION_KEY', 'REDIS_URL', 'SMTP_PASSWORD',
      ],
      censor: '[redacted]',
    },
    formatters: {
      log(object) {
        if (typeof object['email'] === 'string') return { ...object, email: maskEmail(object['email']) };
        return object;
      },
    },
  });
}

/** `alice@example.com` → `a***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}
