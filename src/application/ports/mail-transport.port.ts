/** A mail ready to go out: one recipient, subject, plain text and HTML bodies. */
export interface RenderedMail {
  /** The outbox message id; transports derive a stable Message-ID from it, so a resend is recognisable. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Hands a rendered mail to the world (an SMTP server, the log). Resolves once the mail was
 * accepted; throws when it was not — a `MailDeliveryError` with `permanent: true` when retrying
 * cannot help (recipient refused), anything else counts as transient. Error messages must not
 * carry credentials or the mail's content.
 */
export interface MailTransport {
  send(mail: RenderedMail): Promise<void>;
}
