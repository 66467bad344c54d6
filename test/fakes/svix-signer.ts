import { randomUUID } from 'node:crypto';
import { Webhook } from 'svix';

/** A webhook delivery as Svix sends it: the exact body bytes and the three svix-* headers over them. */
export interface SignedDelivery {
  headers: { 'svix-id': string; 'svix-timestamp': string; 'svix-signature': string; 'content-type': string };
  body: string;
}

/**
 * Signs `body` as Svix does for the endpoint secret `secret` (`whsec_…`), with svix's own
 * `Webhook.sign`: `v1,` base64 HMAC-SHA256 of `msgId.timestamp.body`. `timestamp` defaults to now
 * (svix verifies against the wall clock, ±5 minutes); a new `msgId` per call unless given (a
 * redelivery keeps it).
 */
export function signedDelivery(secret: string, body: unknown, options: { msgId?: string; timestamp?: Date } = {}): SignedDelivery {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const msgId = options.msgId ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(secret).sign(msgId, timestamp, text);
  return {
    headers: { 'svix-id': msgId, 'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'svix-signature': signature, 'content-type': 'application/json' },
    body: text,
  };
}
