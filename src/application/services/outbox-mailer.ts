import { assertMailable } from '../../domain/mail/mail-template.js';
import { newOutboxMessage } from '../../domain/mail/outbox-message.js';
import type { Clock } from '../../domain/shared/clock.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import type { MailMessage, Mailer } from '../ports/mailer.port.js';
import type { OutboxRepository } from '../ports/outbox-repository.port.js';
import { uuidV7 } from '../security/uuid-v7.js';

/**
 * The Mailer of every configuration: a mail is a row in the outbox, written in the caller's unit
 * of work (call `enqueue` inside `uow.run` with the change that causes the mail). The MailWorker
 * delivers it later through whichever transport is configured.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly deps: { outbox: OutboxRepository; clock: Clock }) {}

  async enqueue(message: MailMessage): Promise<void> {
    const to = normalizeEmail(message.to);
    assertMailable(to, message.template, message.data);
    // uuidV7: ids sort by creation, which keeps "newest first" stable within one millisecond.
    await this.deps.outbox.add(newOutboxMessage({ id: uuidV7(), to, template: message.template, data: message.data, now: this.deps.clock.now() }));
  }
}
