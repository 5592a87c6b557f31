// Slack and Discord deliveries over real HTTP to a local receiver, checked against the shapes their docs give:
// a fired alert with names far past every limit, a resolved alert, and the test message.
import { afterEach, describe, expect, it } from 'vitest';
import { sendToChannel } from '../../../server/channels/send';
import type { Alert, Channel, DeliveryMessage } from '../../../shared/schemas/alerts';
import {
  checkDiscordPayload,
  checkSlackPayload,
  resolvedMessage,
  sampleAlert,
  sampleWorkspace,
  startWebhookReceiver,
  testMessage,
  type WebhookReceiver,
} from '../../support/receivers';

const open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

function longNames(): Alert {
  const long = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  const entry = (i: number) => ({ key: `k${i}`, credits: 500 - i, calls: i + 1, label: long(`Customer portal & <admin> ${i} `, 200) });
  return sampleAlert({
    title: long('Integration credits 95% used — Customer portal & <admin> dashboard ', 500),
    ruleName: long('Very long rule name ', 300),
    detail: long('Most in the last 24 h: app Customer portal & <admin> dashboard (320). ', 8000),
    top: { apps: Array.from({ length: 10 }, (_, i) => entry(i)), members: Array.from({ length: 10 }, (_, i) => entry(i)), actions: [] },
  });
}

const cases: [string, DeliveryMessage][] = [
  ['a fired alert with long names', { type: 'alert', alert: longNames(), workspace: sampleWorkspace }],
  ['a resolved alert', resolvedMessage()],
  ['the test message', testMessage()],
];

describe.each([
  ['slack', 200, 'ok', checkSlackPayload],
  ['discord', 204, '', checkDiscordPayload],
] as const)('%s', (type, status, body, check) => {
  const channel = (url: string): Channel => ({ id: `ch_${type}`, type, name: type, url, enabled: true, createdAt: '2026-11-01T00:00:00Z' });

  it.each(cases)('%s: posted as JSON in the documented shape', async (_name, msg) => {
    const r = await startWebhookReceiver({ status, body, path: '/api/webhooks/1234567890/tok3nTOKENtoken' });
    open.push(r);
    const res = await sendToChannel(channel(r.url), msg, { deliveryId: 'dlv_chat', now: Date.now });
    expect(res.status).toBe(status);
    const [req] = await r.waitFor(1);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/webhooks/1234567890/tok3nTOKENtoken');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-signature']).toBeUndefined();
    expect(check(req.json)).toEqual([]);
    if (msg.type === 'alert.resolved') expect(req.body).toMatch(/Resolved:\**\s*a top-up of 5,000 credits brought usage under 80%/);
  });
});
