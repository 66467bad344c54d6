import { randomUUID } from 'node:crypto';
import type { Mailer, MailTemplate } from '../../../application/ports/mailer.port.js';
import type { OneTimeTokenRepository } from '../../../application/ports/one-time-token-repository.port.js';
import { hashOpaqueToken, newOpaqueToken } from '../../../application/security/opaque-token.js';
import type { OneTimeToken } from '../../../domain/credentials/one-time-token.js';
import { type EmailLinkPurpose, FLOW_LIFETIME_SECONDS } from '../../../domain/flows/email-flow.js';
import { addSeconds, type Clock } from '../../../domain/shared/clock.js';

/**
 * Issues single-use email-link tokens (256 bits, stored as SHA-256, bound to one
 * user and purpose) and spends them atomically. Issuing and the mail that carries
 * the link happen in the caller's unit of work: both commit or neither does.
 */
export class FlowTokens {
  constructor(private readonly deps: { oneTimeTokens: OneTimeTokenRepository; mailer: Mailer; clock: Clock; publicUrl: string }) {}

  /** Stores a new token and enqueues the mail with its link; returns the token (tests read it from the outbox instead). */
  async issue(input: {
    purpose: EmailLinkPurpose;
    userId: string | null;
    email: string;
    tenantId?: string | null;
    payload?: OneTimeToken['payload'];
    mail: { template: MailTemplate; link: string | ((token: string) => string); data?: Record<string, string> } | null;
  }): Promise<string> {
    const { token, hash } = newOpaqueToken();
    const now = this.deps.clock.now();
    await this.deps.oneTimeTokens.create({
      id: randomUUID(),
      purpose: input.purpose,
      tokenHash: hash,
      userId: input.userId,
      email: input.email,
      tenantId: input.tenantId ?? null,
      payload: input.payload ?? {},
      createdAt: now,
      expiresAt: addSeconds(now, FLOW_LIFETIME_SECONDS[input.purpose]),
      consumedAt: null,
    });
    if (input.mail) {
      const link = typeof input.mail.link === 'function' ? input.mail.link(token) : `${this.deps.publicUrl}${input.mail.link}?token=${token}`;
      await this.deps.mailer.enqueue({ to: input.email, template: input.mail.template, data: { ...input.mail.data, link, expiresInMinutes: String(FLOW_LIFETIME_SECONDS[input.purpose] / 60) } });
    }
    return token;
  }

  /** Burns a token of this purpose: returns it once, null when unknown, used, expired or of another purpose. */
  consume(purpose: EmailLinkPurpose, token: string): Promise<OneTimeToken | null> {
    return this.deps.oneTimeTokens.consume(purpose, hashOpaqueToken(token), this.deps.clock.now());
  }

  peek(purpose: EmailLinkPurpose, token: string): Promise<OneTimeToken | null> {
    return this.deps.oneTimeTokens.peek(purpose, hashOpaqueToken(token), this.deps.clock.now());
  }
}
