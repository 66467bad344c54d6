import { describe, expect, it } from 'vitest';
import { TemplateMailRenderer } from '../../../src/adapters/email/template-mail-renderer.js';
import { MAIL_TEMPLATE_FIELDS, MAIL_TEMPLATES, type MailTemplate } from '../../../src/domain/mail/mail-template.js';

const renderer = new TemplateMailRenderer();
const LINK = 'https://gatehouse.test/flow?token=abc&next=%2Fhome';
const HOSTILE = '<script>alert("x")</script> & \'quotes\'';

/** The required fields of a template, each filled with `value` (a web link for `link`). */
function required(template: MailTemplate, value: string): Record<string, string> {
  return Object.fromEntries(MAIL_TEMPLATE_FIELDS[template].map((field) => [field, field === 'link' ? LINK : value]));
}

describe('mail templates', () => {
  for (const template of MAIL_TEMPLATES) {
    it(`${template}: subject, text and HTML, every value escaped in the HTML`, () => {
      const mail = renderer.render(template, { ...required(template, HOSTILE), name: HOSTILE });
      expect(mail.subject.length).toBeGreaterThan(5);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).toContain('— Gatehouse');
      expect(mail.html).toMatch(/^<!doctype html>/);
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
      if (MAIL_TEMPLATE_FIELDS[template].includes('link')) {
        expect(mail.text).toContain(LINK);
        expect(mail.html).toContain('href="https://gatehouse.test/flow?token=abc&amp;next=%2Fhome"');
      }
    });
  }

  it('refuses data without a required field or with a link that is not http(s)', () => {
    expect(() => renderer.render('invitation', { link: LINK })).toThrow(/missing organizationName/);
    expect(() => renderer.render('magic_link', { link: 'javascript:alert(1)' })).toThrow(/not an absolute http/);
    expect(() => renderer.render('new_sign_in', { ip: '203.0.113.9' })).toThrow(/missing occurredAt/);
  });

  it('keeps subjects on one line: no header injection through a name', () => {
    const mail = renderer.render('invitation', { link: LINK, organizationName: 'Acme\r\nBcc: eve@example.com', inviterName: 'Ada' });
    expect(mail.subject).toBe('Ada invited you to join Acme Bcc: eve@example.com on Gatehouse');
  });

  it('says how long a link lasts, in words', () => {
    expect(renderer.render('password_reset', { link: LINK, expiresInMinutes: '60' }).text).toContain('This link expires in 1 hour and works once.');
    expect(renderer.render('magic_link', { link: LINK, expiresInMinutes: '15' }).text).toContain('expires in 15 minutes');
    expect(renderer.render('activation', { link: LINK, expiresInMinutes: '10080' }).text).toContain('expires in 7 days');
    expect(renderer.render('verification', { link: LINK, expiresInMinutes: 'soon' }).text).not.toContain('expires');
  });

  it('words each MFA change and lists sign-in details', () => {
    expect(renderer.render('mfa_changed', { change: 'disabled' }).text).toContain('Two-step verification was turned off');
    expect(renderer.render('mfa_changed', { change: 'recovery_code_used', occurredAt: '2030-01-01T09:30:00.000Z', ip: '203.0.113.9' }).text).toContain(
      'When: 2030-01-01 09:30 UTC\nIP address: 203.0.113.9',
    );
    expect(renderer.render('mfa_changed', { change: 'something_new' }).text).toContain('settings of your Gatehouse account changed');
    const signIn = renderer.render('new_sign_in', { occurredAt: '2030-01-01T09:30:00.000Z', ip: '203.0.113.9', userAgent: 'Firefox on Linux', link: LINK });
    expect(signIn.text).toContain('Device: Firefox on Linux');
    expect(signIn.text).toContain(`Review your sessions:\n${LINK}`);
  });

  it('names the organization and amount of a failed payment', () => {
    const mail = renderer.render('payment_failed', { link: LINK, organizationName: 'Acme', amount: '€49.00' });
    expect(mail.subject).toBe('Payment failed for Acme');
    expect(mail.text).toContain('The payment of €49.00 for the Acme subscription failed.');
  });

  it('tells the owner of an address registered again whether the account was ever confirmed', () => {
    const confirmed = renderer.render('account_exists', { link: LINK, confirmed: 'yes' }).text;
    expect(confirmed).toContain('reset your password');
    expect(confirmed).not.toContain('never confirmed');
    const unconfirmed = renderer.render('account_exists', { link: LINK, confirmed: 'no' }).text;
    expect(unconfirmed).toContain('The account was never confirmed.');
    expect(unconfirmed).toContain('removes any password they chose');
  });
});
