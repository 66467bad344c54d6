import { formatInstant, greeting, type TemplateDefinition } from './template-definition.js';

/** What happened, by the `change` value use cases pass; anything else gets the generic sentence. */
const CHANGES: Readonly<Record<string, string>> = {
  enabled: 'Two-step verification was turned on for your Gatehouse account.',
  disabled: 'Two-step verification was turned off for your Gatehouse account.',
  recovery_codes_regenerated: 'New recovery codes were generated for your Gatehouse account; the old ones no longer work.',
  recovery_code_used: 'A recovery code was used to sign in to your Gatehouse account.',
};

/**
 * Tells someone their second factor changed. Data: `change` (`enabled`, `disabled`,
 * `recovery_codes_regenerated`, `recovery_code_used`); optional `name`, `occurredAt`, `ip`, `link` (security settings).
 */
export const mfaChanged: TemplateDefinition = (data) => {
  const details: [string, string][] = [];
  if (data['occurredAt']) details.push(['When', formatInstant(data['occurredAt'])]);
  if (data['ip']) details.push(['IP address', data['ip']]);
  return {
    subject: 'Your Gatehouse two-step verification changed',
    heading: 'Two-step verification changed',
    paragraphs: [greeting(data), CHANGES[data['change']!] ?? 'The two-step verification settings of your Gatehouse account changed.'],
    details,
    ...(data['link'] ? { action: { label: 'Review security settings', link: data['link'] } } : {}),
    footnotes: ['If this was not you, reset your password now and tell your administrator.'],
  };
};
