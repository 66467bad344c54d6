import { describe, expect, it } from 'vitest';
import type { MailTransport, RenderedMail } from '../../src/application/ports/mail-transport.port.js';
import { MailDeliveryError } from '../../src/application/services/mail-delivery-error.js';
import { TemplateMailRenderer } from '../../src/adapters/email/template-mail-renderer.js';

/** A mail as the far end of a transport has it (an SMTP server's inbox, the log). */
export interface Arrived {
  /** The outbox id the mail carries (SMTP: in its Message-ID). */
  id: string;
  subject: string;
  /** The text as it arrived, links included where the transport shows them. */
  text: string;
}

/** What the contract needs from each transport's test setup. */
export interface TransportHarness {
  transport: MailTransport;
  /** Every mail that arrived so far, in order. */
  arrived(): Arrived[];
  /**
   * Makes the far end refuse the recipients this address starts with: `gone` for good, `busy` for now;
   * null for a transport with no far end that refuses (the log).
   */
  refusing: { gone: string; busy: string } | null;
  close(): Promise<void>;
}

const LINK = 'https://gatehouse.test/auth/magic?token=contract-token';
const mail = (id: string, to = 'ada@example.com'): RenderedMail => ({ id, to, ...new TemplateMailRenderer().render('magic_link', { link: LINK }) });

/** What `promise` was rejected with (the test fails if it was not). */
async function refusal(promise: Promise<void>): Promise<MailDeliveryError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailDeliveryError);
  return error as MailDeliveryError;
}

/**
 * The MailTransport contract: what the outbox worker relies on, whichever transport the
 * configuration chose. Run against the log transport and SMTP against a real server on 127.0.0.1.
 */
export function mailTransportContract(name: string, make: () => Promise<TransportHarness>): void {
  describe(`MailTransport contract [${name}]`, () => {
    const use = async (fn: (h: TransportHarness) => Promise<void>) => {
      const h = await make();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    };

    it('resolves once the mail is at the far end, each once and in order, with its id, subject and link', () =>
      use(async (h) => {
        await h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f73'));
        expect(h.arrived()).toEqual([expect.objectContaining({ id: '01a2093d-c6d9-7000-bfd6-b264a8ab3f73', subject: 'Your Gatehouse sign-in link' })]);
        expect(h.arrived()[0]!.text).toContain(LINK);
        await h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f74'));
        expect(h.arrived().map((m) => m.id)).toEqual(['01a2093d-c6d9-7000-bfd6-b264a8ab3f73', '01a2093d-c6d9-7000-bfd6-b264a8ab3f74']);
      }));

    it('sends a retried mail with the same id, so the far end can tell it is the same mail', () =>
      use(async (h) => {
        await h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f75'));
        await h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f75'));
        expect(h.arrived().map((m) => m.id)).toEqual(['01a2093d-c6d9-7000-bfd6-b264a8ab3f75', '01a2093d-c6d9-7000-bfd6-b264a8ab3f75']);
      }));

    it('rejects a refused mail with a MailDeliveryError, permanent only when retrying cannot help (the log refuses nothing)', () =>
      use(async (h) => {
        if (!h.refusing) {
          await expect(h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f76', 'gone@example.com'))).resolves.toBeUndefined();
          return;
        }
        const gone = await refusal(h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f77', `${h.refusing.gone}@example.com`)));
        const busy = await refusal(h.transport.send(mail('01a2093d-c6d9-7000-bfd6-b264a8ab3f78', `${h.refusing.busy}@example.com`)));
        expect([gone.permanent, busy.permanent]).toEqual([true, false]);
        expect(h.arrived()).toEqual([]);
        // An error goes to the logs and the outbox: it names the failure, never the mail's content.
        for (const error of [gone, busy]) expect(error.message).not.toContain('contract-token');
      }));
  });
}
