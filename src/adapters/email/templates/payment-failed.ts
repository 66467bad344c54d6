import { greeting, type TemplateDefinition } from './template-definition.js';

/** A subscription payment failed. Data: `link` (billing portal), `organizationName`; optional `name`, `amount` (formatted, e.g. "€49.00"). */
export const paymentFailed: TemplateDefinition = (data) => {
  const organization = data['organizationName']!;
  const amount = data['amount'] ? ` of ${data['amount']}` : '';
  return {
    subject: `Payment failed for ${organization}`,
    heading: 'Your payment did not go through',
    paragraphs: [
      greeting(data),
      `The payment${amount} for the ${organization} subscription failed. Please update the payment method to keep ${organization} active.`,
    ],
    action: { label: 'Update payment method', link: data['link']! },
    footnotes: ['The payment is retried automatically; access is limited if it keeps failing.'],
  };
};
