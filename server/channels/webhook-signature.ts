// Standard Webhooks signing (https://www.standardwebhooks.com): what lets a receiver check that a webhook came
// from this server, unchanged, and recently. Written with node:crypto only; the tests check it against the
// reference `standardwebhooks` package.
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: "whsec_" + base64 of 24 random bytes (the spec asks for 24–64). */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(24).toString('base64');
}

/** The HMAC key: the base64 after "whsec_" (a bare base64 secret is accepted too, as the reference does). */
export function webhookSecretKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('webhook secret is not base64');
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}

/** "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>". */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookSecretKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three headers for one attempt. `id` must stay the same across retries of one delivery (receivers dedupe
 * on it); the timestamp is the attempt's own, since receivers reject signatures more than ~5 minutes old.
 */
export function webhookHeaders(secret: string, id: string, body: string, nowMs: number): WebhookHeaders {
  const ts = Math.floor(nowMs / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(secret, id, ts, body) };
}
