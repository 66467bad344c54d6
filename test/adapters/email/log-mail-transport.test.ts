import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LogMailTransport } from '../../../src/adapters/email/log/log-mail-transport.js';
import { TemplateMailRenderer } from '../../../src/adapters/email/template-mail-renderer.js';

const LINK = 'https://gatehouse.test/auth/magic?token=s3cret-token';

async function logged(revealLinks: boolean): Promise<string> {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const content = new TemplateMailRenderer().render('magic_link', { link: LINK });
  await new LogMailTransport(logger, { revealLinks }).send({ id: 'm1', to: 'ada@example.com', ...content });
  return lines.join('');
}

describe('LogMailTransport (MAIL_TRANSPORT=outbox)', () => {
  it('logs the mail with its link in development and test, the recipient masked', async () => {
    const line = JSON.parse(await logged(true)) as { msg: string; mail: { id: string; to: string; subject: string; text: string } };
    expect(line.mail).toMatchObject({ id: 'm1', to: 'a***@example.com', subject: 'Your Gatehouse sign-in link' });
    expect(line.mail.text).toContain(LINK);
    expect(line.msg).toContain('not delivered');
  });

  it('redacts every link elsewhere: a log is no place for a sign-in token', async () => {
    const text = await logged(false);
    expect(text).not.toContain('s3cret-token');
    expect(text).not.toContain('ada@example.com');
    expect(text).toContain('[link redacted]');
  });
});
