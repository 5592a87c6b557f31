// Signed webhooks, checked by a real receiver with the reference Standard Webhooks library: what we send
// verifies, a changed body or an old timestamp does not, and retries of one delivery carry one webhook-id.
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ChannelError, sendToChannel } from '../../../server/channels/send';
import { newWebhookSecret, signWebhook, webhookHeaders } from '../../../server/channels/webhook-signature';
import type { Channel } from '../../../shared/schemas/alerts';
import { firedMessage, resolvedMessage, startWebhookReceiver, testMessage, type WebhookReceiver } from '../../support/receivers';

const open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function receiver(opts: Parameters<typeof startWebhookReceiver>[0]) {
  const r = await startWebhookReceiver(opts);
  open.push(r);
  return r;
}
const webhook = (url: string, secret: string): Channel => ({ id: 'ch_webhook_1', type: 'webhook', name: 'Ops hook', url, secret, enabled: true, createdAt: '2026-11-01T00:00:00Z' });

describe('webhook signature (hand-written, checked against standardwebhooks)', () => {
  it('newWebhookSecret is whsec_ + base64 of 24 random bytes, and matches the channel schema', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/=]{16,200}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it.each([
    ['{"a":1}', 'msg_1', 1_700_000_000],
    ['{"emoji":"😀","text":"ü & <x>"}', 'dlv_2bXq', 1_764_000_000],
    ['', 'id.with.dots', 0],
  ])('signWebhook(%j) equals the reference signature', (body, id, ts) => {
    const secret = newWebhookSecret();
    expect(signWebhook(secret, id, ts, body)).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
  });

  it('webhookHeaders: id as given, unix seconds, v1 signature', () => {
    const h = webhookHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'dlv_1', '{}', 1_764_063_000_999);
    expect(h['webhook-id']).toBe('dlv_1');
    expect(h['webhook-timestamp']).toBe('1764063000');
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });
});

describe('sending a signed webhook', () => {
  it('the receiver verifies it with standardwebhooks and gets the envelope; webhook-id is the delivery id', async () => {
    const secret = newWebhookSecret();
    const r = await receiver({ secret, status: 204 });
    const res = await sendToChannel(webhook(r.url, secret), firedMessage(), { deliveryId: 'dlv_fired_0001', now: Date.now });
    expect(res.status).toBe(204);
    const [req] = await r.waitFor(1);
    expect(req.verified).toBe(true);
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe('dlv_fired_0001');
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(req.json).toEqual({ type: 'alert.fired', timestamp: '2026-11-25T09:30:00.000Z', data: { workspace: { id: 'ws_acme_0001', name: 'Acme' }, alert: JSON.parse(JSON.stringify((firedMessage() as { alert: unknown }).alert)) } });
  });

  it('a tampered body (or signature, or id) fails verification', async () => {
    const secret = newWebhookSecret();
    const r = await receiver({ secret });
    await sendToChannel(webhook(r.url, secret), resolvedMessage(), { deliveryId: 'dlv_res_1', now: Date.now });
    const [good] = await r.waitFor(1);
    expect(good.verified).toBe(true);
    const headers = { 'webhook-id': good.headers['webhook-id'], 'webhook-timestamp': good.headers['webhook-timestamp'], 'webhook-signature': good.headers['webhook-signature'] };
    const tampered = good.body.replace('"alert.resolved"', '"alert.fired"');
    expect(tampered).not.toBe(good.body);
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow();
    expect(() => new Webhook(secret).verify(good.body, { ...headers, 'webhook-id': 'other' })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(good.body, headers)).toThrow();

    // and over the wire: the receiver refuses the replayed headers with a changed body
    const res = await fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: tampered });
    expect(res.status).toBe(401);
    expect(r.requests[1].verified).toBe(false);
    expect(r.delivered).toHaveLength(1);
  });

  it('a timestamp outside the 5-minute tolerance is refused: now() must be the real clock at each attempt', async () => {
    const secret = newWebhookSecret();
    const r = await receiver({ secret });
    const err = await sendToChannel(webhook(r.url, secret), testMessage(), { deliveryId: 'dlv_old', now: () => Date.now() - 10 * 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect(r.requests[0].verified).toBe(false);
  });

  it('retries of one delivery carry the same webhook-id, so a receiver can dedupe them', async () => {
    const secret = newWebhookSecret();
    const r = await receiver({ secret });
    r.queueStatuses(503);
    const ch = webhook(r.url, secret);
    const opts = { deliveryId: 'dlv_retry_1', now: Date.now };
    await expect(sendToChannel(ch, firedMessage(), opts)).rejects.toMatchObject({ status: 503, retryable: true });
    await sendToChannel(ch, firedMessage(), opts);
    await sendToChannel(ch, firedMessage(), opts); // a duplicate (e.g. the server died before recording success)
    expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual(['dlv_retry_1', 'dlv_retry_1', 'dlv_retry_1']);
    expect(r.requests.every((q) => q.verified)).toBe(true);
    expect(r.deliveredIds()).toEqual(['dlv_retry_1']);
  });

  it('a webhook channel without a secret is a configuration error, never an unsigned POST', async () => {
    const r = await receiver({});
    const ch = { ...webhook(r.url, 'x'), secret: undefined };
    await expect(sendToChannel(ch, testMessage(), { deliveryId: 'd', now: Date.now })).rejects.toMatchObject({ code: 'config', retryable: false });
    expect(r.requests).toHaveLength(0);
  });

  it('the test message is signed too', async () => {
    const secret = newWebhookSecret();
    const r = await receiver({ secret });
    await sendToChannel(webhook(r.url, secret), testMessage(), { deliveryId: 'dlv_test', now: Date.now });
    const [req] = await r.waitFor(1);
    expect(req.verified).toBe(true);
    expect(req.json).toMatchObject({ type: 'test', data: { workspace: { id: 'ws_acme_0001' } } });
  });
});
