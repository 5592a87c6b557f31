// When an attempt fails: which failures are worth retrying (network, timeout, 5xx, 429) and which are not
// (other 4xx, a deleted hook, a redirect), against real receivers; and that no error, however it is printed,
// contains the channel URL (Slack and Discord URLs are credentials) or the signing secret. Also what the API
// shows of a channel.
import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ChannelError, maskChannel, parseRetryAfter, sendToChannel } from '../../../server/channels/send';
import { newWebhookSecret } from '../../../server/channels/webhook-signature';
import type { Channel } from '../../../shared/schemas/alerts';
import { firedMessage, startBlackHole, startWebhookReceiver, testMessage } from '../../support/receivers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

// Paths shaped like the real thing: the token is in the URL.
const SLACK_PATH = '/services/T0A1B2C3D/B0E4F5G6H/Xq7sLkP9vRt2WmZ8yUe4NcJd';
const DISCORD_PATH = '/api/webhooks/1234567890123456789/aBcDeFgHiJkLmNoPqRsTuVwXyZ_0123456789-tokenTOKEN';
const SECRET = newWebhookSecret();

async function receiver(path: string, status = 200, body?: string) {
  const r = await startWebhookReceiver({ path, status, ...(body !== undefined ? { body } : {}) });
  closers.push(() => r.close());
  return r;
}
const base = { enabled: true, createdAt: '2026-11-01T00:00:00Z' };
const slack = (url: string): Channel => ({ id: 'ch_s', type: 'slack', name: 'Slack', url, ...base });
const discord = (url: string): Channel => ({ id: 'ch_d', type: 'discord', name: 'Discord', url, ...base });
const hook = (url: string): Channel => ({ id: 'ch_w', type: 'webhook', name: 'Hook', url, secret: SECRET, ...base });
const opts = { deliveryId: 'dlv_fail_1', now: Date.now };

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const err = await p.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  return err as ChannelError;
}

/** Everything an error can be printed as: message, stack, util.inspect (every own property), JSON. */
function leaks(err: unknown, url: string, secret: string | undefined = SECRET): string[] {
  const dump = [String(err), (err as Error).stack ?? '', inspect(err, { depth: 5, showHidden: true }), JSON.stringify(err)].join('\n');
  const u = new URL(url);
  const tokens = [...u.pathname.split('/'), ...u.searchParams.values()].filter((s) => s.length >= 10);
  const secrets = [url, u.pathname + u.search, ...tokens, ...(secret ? [secret, secret.slice(6)] : [])];
  return secrets.filter((s) => dump.includes(s));
}

describe.each([
  ['slack', slack, SLACK_PATH],
  ['discord', discord, DISCORD_PATH],
  ['webhook', hook, '/hooks/cw?token=QueryTokenValue123'],
] as const)('%s failures', (_type, make, path) => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [429, true],
    [400, false],
    [401, false],
    [403, false],
    [413, false],
  ])('HTTP %i → retryable %s, status kept, no URL in the error', async (status, retryable) => {
    const r = await receiver(path, status, `refused ${status}`);
    const err = await failure(sendToChannel(make(r.url), firedMessage(), opts));
    expect(err).toMatchObject({ status, retryable, code: 'http' });
    expect(err.message).toContain(`HTTP ${status}`);
    // Reply text is not kept (delivery logs are readable by every member); only a short reason token is.
    expect(err.message).not.toContain('refused');
    expect(leaks(err, r.url)).toEqual([]);
  });

  it('keeps a short reason token from the reply, such as Slack\'s invalid_payload', async () => {
    const r = await receiver(path, 400, 'invalid_payload');
    const err = await failure(sendToChannel(make(r.url), firedMessage(), opts));
    expect(err.message).toMatch(/: invalid_payload$/);
  });

  it('connection refused (receiver down) → retryable; back up → delivered', async () => {
    const r = await receiver(path);
    await r.down();
    const err = await failure(sendToChannel(make(r.url), firedMessage(), opts));
    expect(err).toMatchObject({ code: 'network', retryable: true });
    expect(err.status).toBeUndefined();
    expect(err.message).toContain('ECONNREFUSED');
    expect(leaks(err, r.url)).toEqual([]);
    await r.up();
    await expect(sendToChannel(make(r.url), firedMessage(), opts)).resolves.toEqual({ status: 200 });
  });

  it('a receiver that never answers → timeout after timeoutMs, retryable', async () => {
    const r = await receiver(path);
    r.setHang(true);
    const t0 = Date.now();
    const err = await failure(sendToChannel(make(r.url), firedMessage(), { ...opts, timeoutMs: 200 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(leaks(err, r.url)).toEqual([]);
  });

  it('a receiver that echoes the URL and the secret back: the error still holds neither', async () => {
    const r = await receiver(path, 400);
    const ch = make(r.url);
    r.setStatus(400, `bad request to ${r.url} (path ${path}) with secret ${ch.secret ?? 'none'}`);
    const err = await failure(sendToChannel(ch, firedMessage(), opts));
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('bad request to');
    expect(leaks(err, r.url, ch.secret)).toEqual([]);
  });
});

describe('more failures', () => {
  it('a TCP peer that accepts and never answers HTTP → timeout', async () => {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    const err = await failure(sendToChannel(slack(`${hole.url}${SLACK_PATH}`), testMessage(), { ...opts, timeoutMs: 200 }));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
  });

  it.each([
    ['slack', slack, 410],
    ['slack', slack, 404],
    ['discord', discord, 404],
    ['discord', discord, 410],
  ] as const)('%s answering %i: the hook is gone — not retryable, code "gone"', async (_n, make, status) => {
    const r = await receiver(SLACK_PATH, status, status === 410 ? 'no_service' : '{"message": "Unknown Webhook", "code": 10015}');
    const err = await failure(sendToChannel(make(r.url), firedMessage(), opts));
    expect(err).toMatchObject({ status, retryable: false, code: 'gone' });
  });

  it('429 with Retry-After: the wait is passed on', async () => {
    const r = await receiver(DISCORD_PATH, 429);
    r.setStatus(429, '{"retry_after": 2.5}', { 'retry-after': '3' });
    const err = await failure(sendToChannel(discord(r.url), firedMessage(), opts));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it.each([
    ['3', 0, 3000],
    ['0.5', 0, 500],
    ['Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('2026-10-21T07:28:00Z'), 10_000],
    ['soon', 0, undefined],
    [null, 0, undefined],
  ])('parseRetryAfter(%j) = %s', (v, now, ms) => expect(parseRetryAfter(v, now)).toBe(ms));

  it('a redirect is not followed (the signed body is for one URL): not retryable', async () => {
    const r = await receiver('/old', 308);
    r.setStatus(308, '', { location: 'http://127.0.0.1:1/new' });
    const err = await failure(sendToChannel(hook(r.url), firedMessage(), opts));
    expect(err).toMatchObject({ status: 308, retryable: false, code: 'redirect' });
    expect(r.requests).toHaveLength(1);
  });

  it('an invalid URL is a configuration error whose message does not repeat it', async () => {
    const bad = 'https://hooks.slack.com:99999/services/T000/B000/SECRETtoken';
    const err = await failure(sendToChannel(slack(bad), firedMessage(), opts));
    expect(err).toMatchObject({ code: 'config', retryable: false });
    expect(inspect(err)).not.toContain('SECRETtoken');
  });

  it('a bad webhook secret is a configuration error that does not repeat the secret', async () => {
    const err = await failure(sendToChannel({ ...hook('http://127.0.0.1:1/x'), secret: 'whsec_not base64!!' }, firedMessage(), opts));
    expect(err).toMatchObject({ code: 'config', retryable: false });
    expect(inspect(err)).not.toContain('not base64!!');
  });
});

describe('maskChannel (what the API returns)', () => {
  it.each([
    [slack(`https://hooks.slack.com${SLACK_PATH}`), { url: 'https://hooks.slack.com/…NcJd' }],
    [discord(`https://discord.com${DISCORD_PATH}`), { url: 'https://discord.com/…OKEN' }],
    [hook('https://ops.example.com:8443/hooks/creditwatch?token=abc123xyz'), { url: 'https://ops.example.com:8443/…3xyz', secret: `whsec_…${SECRET.slice(-4)}` }],
    [hook('https://user:pw@ops.example.com/a'), { url: 'https://ops.example.com/…' }],
  ])('%#: URL and secret masked', (ch, expected) => {
    const m = maskChannel(ch);
    expect(m).toMatchObject({ ...expected, id: ch.id, name: ch.name, type: ch.type });
    const dump = JSON.stringify(m);
    if ('url' in ch) expect(dump).not.toContain(new URL(ch.url).pathname.slice(0, -4) || '\u0000');
    expect(dump).not.toContain(SECRET);
    expect(ch).not.toEqual(m); // the original is untouched
  });

  it('SMTP password → ••••, everything else kept', () => {
    const ch: Channel = {
      id: 'ch_e',
      type: 'email',
      name: 'Mail',
      smtp: { host: 'smtp.example.com', port: 587, secure: true, user: 'mailer', pass: 'hunter2-long-password' },
      from: 'alerts@example.com',
      to: ['a@example.com'],
      ...base,
    };
    expect(maskChannel(ch)).toEqual({ ...ch, smtp: { ...ch.smtp, pass: '••••' } });
    expect((ch as { smtp: { pass: string } }).smtp.pass).toBe('hunter2-long-password');
    const noPass = { ...ch, smtp: { host: 'h', port: 25 } } as Channel;
    expect(maskChannel(noPass)).toEqual(noPass);
  });
});

describe('unexpected errors', () => {
  it('a channel of an unknown type, or a delivery id no header can carry: a ChannelError, not a raw exception', async () => {
    const odd = { id: 'x', type: 'pager', name: 'x', enabled: true, createdAt: '2026-11-01T00:00:00Z' } as unknown as Channel;
    await expect(sendToChannel(odd, testMessage(), opts)).rejects.toMatchObject({ name: 'ChannelError', code: 'config', retryable: false });
    const r = await receiver('/hook');
    const err = await failure(sendToChannel(hook(r.url), testMessage(), { ...opts, deliveryId: 'bad\r\nid' }));
    expect(err).toMatchObject({ code: 'config', retryable: false });
    expect(err.message).toBe('webhook: the delivery id cannot be a webhook-id');
    expect(r.requests).toHaveLength(0);
  });
});
