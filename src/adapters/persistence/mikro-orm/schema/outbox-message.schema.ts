import { defineEntity, p } from '@mikro-orm/core';
import type { MailTemplate } from '../../../../domain/mail/mail-template.js';
import type { OutboxState } from '../../../../domain/mail/outbox-message.js';

/** Row of `outbox_messages` (used for inserts; claims and reads are SQL, mapped by hand). */
export const OutboxMessageSchema = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_messages',
  properties: {
    id: p.text().primary(),
    recipient: p.text(),
    template: p.text().$type<MailTemplate>(),
    data: p.json<Record<string, string>>(),
    state: p.text().$type<OutboxState>(),
    attempts: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    leaseUntil: p.datetime().nullable(),
    lastError: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});
