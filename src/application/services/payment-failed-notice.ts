import type { Organization } from '../../domain/tenancy/organization.js';
import type { Mailer } from '../ports/mailer.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';

/**
 * Tells an organization's admins that a payment failed (`payment_failed` mail through the outbox,
 * inside the caller's unit of work). The link leads to the organization's billing page in the app,
 * which opens the provider's portal on demand: a portal URL is short-lived and would expire in the mailbox.
 */
export class PaymentFailedNotice {
  constructor(private readonly deps: { memberships: MembershipRepository; users: UserRepository; mailer: Mailer; publicUrl: string }) {}

  async notifyAdmins(org: Organization, amountDue: number | null, currency: string | null): Promise<number> {
    const admins = (await this.deps.memberships.listByTenant(org.id)).filter((m) => m.role === 'admin');
    const users = await this.deps.users.findManyByIds(admins.map((m) => m.userId));
    const link = `${this.deps.publicUrl.replace(/\/$/, '')}/organizations/${encodeURIComponent(org.slug)}/billing`;
    const amount = formatAmount(amountDue, currency);
    for (const user of users.filter((u) => u.status !== 'disabled')) {
      await this.deps.mailer.enqueue({
        to: user.email,
        template: 'payment_failed',
        data: { link, organizationName: org.name, ...(user.name ? { name: user.name } : {}), ...(amount ? { amount } : {}) },
      });
    }
    return users.length;
  }
}

/** "€49.00" from an amount in the currency's minor unit (cents; yen have none), or null. */
export function formatAmount(minor: number | null, currency: string | null): string | null {
  if (minor === null || currency === null) return null;
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return null; // an unknown currency code: the mail goes out without the amount
  }
}
