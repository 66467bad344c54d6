/**
 * A transport's refusal to deliver, with whether retrying could help. `permanent` failures
 * (the server refused the recipient or the message for good) end the message at once; all
 * others are retried with backoff. The message is stored as the outbox's `lastError`: it names
 * what went wrong (an SMTP code, a network error), never credentials or mail content.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';

  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
