import { expiryNote, type TemplateDefinition } from './template-definition.js';

/** Invites someone into an organization. Data: `link`, `organizationName`; optional `inviterName`, `role`, `expiresInMinutes`. */
export const invitation: TemplateDefinition = (data) => {
  const organization = data['organizationName']!;
  const inviter = data['inviterName'];
  const role = data['role'] ? ` as ${data['role']}` : '';
  return {
    subject: inviter ? `${inviter} invited you to join ${organization} on Gatehouse` : `You are invited to join ${organization} on Gatehouse`,
    heading: `Join ${organization}`,
    paragraphs: [`${inviter ?? 'Someone'} invited you to join ${organization}${role}. Accept the invitation to get access.`],
    action: { label: 'Accept invitation', link: data['link']! },
    footnotes: [...expiryNote(data), 'If you were not expecting this invitation, you can ignore this email.'],
  };
};
