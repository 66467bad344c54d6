import { formatInstant, greeting, type TemplateDefinition } from './template-definition.js';

/** Reports a sign-in from a new device. Data: `occurredAt`, `ip`; optional `name`, `userAgent`, `location`, `link` (sessions page). */
export const newSignIn: TemplateDefinition = (data) => {
  const details: [string, string][] = [
    ['When', formatInstant(data['occurredAt']!)],
    ['IP address', data['ip']!],
  ];
  if (data['userAgent']) details.push(['Device', data['userAgent']]);
  if (data['location']) details.push(['Location', data['location']]);
  return {
    subject: 'New sign-in to your Gatehouse account',
    heading: 'New sign-in',
    paragraphs: [greeting(data), 'Your Gatehouse account was just signed in to from a device we had not seen before.'],
    details,
    ...(data['link'] ? { action: { label: 'Review your sessions', link: data['link'] } } : {}),
    footnotes: ['If this was you, there is nothing to do. If not, change your password and sign out the sessions you do not recognise.'],
  };
};
