/** How to reach the SMTP server (from SMTP_* and MAIL_FROM). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). False: plain connection upgraded with STARTTLS. */
  secure: boolean;
  /** Refuse to send (and to authenticate) unless STARTTLS succeeds. Ignored when `secure`. */
  requireTls: boolean;
  /** Both or neither: AUTH with these credentials. */
  user?: string | undefined;
  password?: string | undefined;
  /** The From header, e.g. `Gatehouse <no-reply@example.com>`. */
  from: string;
  /**
   * Extra trusted CA certificates (PEM), on top of Node's. Tests use it for their self-signed
   * server; in production prefer NODE_EXTRA_CA_CERTS.
   */
  ca?: string | undefined;
  /** Socket timeouts; their sum must stay well under the worker's lease (120 s). */
  timeouts?: { connectionMs: number; greetingMs: number; socketMs: number };
}

/** 10 s to connect, 10 s for the greeting, 30 s of silence at most. */
export const DEFAULT_SMTP_TIMEOUTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };
