import { Webhook, WebhookVerificationError } from 'svix';
import type { DirectoryEvent, IdentityWebhookSource, WebhookHeaders } from '../../../application/ports/identity-webhook-source.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';

/**
 * Stytch webhooks as Svix delivers them: `svix-id`, `svix-timestamp` and `svix-signature` sign the
 * exact raw bytes (HMAC-SHA256 with the endpoint's `whsec_` secret, timing-safe compare, timestamp
 * within ±5 minutes of this machine's clock — svix's fixed tolerance). Only then is the body parsed
 * and translated. Only the svix-branded headers are read: a delivery is signed the way Stytch signs.
 */
export class SvixWebhookVerifier implements IdentityWebhookSource {
  readonly #webhook: Webhook;

  constructor(private readonly deps: { secret: string; translate: (body: unknown) => DirectoryEvent }) {
    // Throws at start-up on a secret that is not base64: better than 400s at the first delivery.
    this.#webhook = new Webhook(deps.secret);
  }

  open(rawBody: Buffer, headers: WebhookHeaders): DirectoryEvent {
    try {
      // Returns undefined in svix 2: the body is parsed below, from the very bytes that were verified.
      this.#webhook.verify(rawBody, {
        'svix-id': headers['svix-id'] ?? '',
        'svix-timestamp': headers['svix-timestamp'] ?? '',
        'svix-signature': headers['svix-signature'] ?? '',
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is missing or invalid');
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'The webhook body is not JSON');
    }
    return this.deps.translate(body);
  }
}
