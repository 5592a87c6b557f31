// Email over real SMTP (smtp-server on 127.0.0.1, no STARTTLS): the message as a mail client reads it, the
// recipients, login, and how refusals map to retry or not — without the password ever reaching an error.
import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ChannelError, sendToChannel } from '../../../server/channels/send';
import type { Channel } from '../../../shared/schemas/alerts';
import { firedMessage, resolvedMessage, startBlackHole, startSmtp, testMessage, type SmtpReceiver } from '../../support/receivers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});
async function smtp(opts?: Parameters<typeof startSmtp>[0]): Promise<SmtpReceiver> {
  const s = await startSmtp(opts);
  closers.push(() => s.close());
  return s;
}

type Email = Extract<Channel, { type: 'email' }>;
const email = (port: number, more: Partial<Email> = {}, smtpMore: Partial<Email['smtp']> = {}): Email => ({
  id: 'ch_email_1',
  type: 'email',
  name: 'Leads by email',
  smtp: { host: '127.0.0.1', port, ...smtpMore },
  from: 'alerts@creditwatch.example',
  to: ['lead@acme.example', 'owner@acme.example'],
  enabled: true,
  createdAt: '2026-11-01T00:00:00Z',
  ...more,
});
const opts = { deliveryId: 'dlv_mail_0001', now: Date.now, timeoutMs: 3000 };
const PASSWORD = 'S3cret-smtp-Pa55word!';

function leaks(err: unknown, secrets: string[]): string[] {
  const dump = [String(err), (err as Error).stack ?? '', inspect(err, { depth: 5 }), JSON.stringify(err)].join('\n');
  return secrets.filter((s) => dump.includes(s));
}

describe('email over SMTP', () => {
  it('a fired alert: subject, envelope recipients, the facts in text and HTML, a stable Message-ID', async () => {
    const s = await smtp();
    await sendToChannel(email(s.port), firedMessage(), opts);
    const [m] = await s.waitFor(1);
    expect(m.from).toBe('alerts@creditwatch.example');
    expect(m.to).toEqual(['lead@acme.example', 'owner@acme.example']);
    expect(m.subject).toBe('[Creditwatch] Critical: Integration credits 80% used');
    expect(m.headers.from).toBe('Creditwatch <alerts@creditwatch.example>');
    expect(m.headers['message-id']).toBe('<dlv_mail_0001@creditwatch.example>');
    expect(m.headers['auto-submitted']).toBe('auto-generated');
    expect(m.text).toContain('1,950 of 10,000 integration credits left');
    expect(m.text).toContain('Resets: Dec 1, 09:00 UTC');
    expect(m.text).toContain('runs out Nov 29, 14:00 UTC, before the reset');
    expect(m.text).toContain('Shop: 320 (160 calls)');
    expect(m.html).toContain('CRM &amp; &lt;Leads&gt;');
  });

  it.each([
    ['resolved', resolvedMessage(), '[Creditwatch] Resolved: Integration credits 80% used', 'Resolved: a top-up of 5,000 credits brought usage under 80%'],
    ['test', testMessage(), '[Creditwatch] Test message', 'alerts will arrive here'],
  ])('%s message', async (_n, msg, subject, text) => {
    const s = await smtp();
    await sendToChannel(email(s.port), msg, opts);
    const [m] = await s.waitFor(1);
    expect(m.subject).toBe(subject);
    expect(m.text).toContain(text);
  });

  it('without `to`, goes to the recipients the caller passes (owners and leads), deduplicated', async () => {
    const s = await smtp();
    await sendToChannel(email(s.port, { to: undefined }), firedMessage(), { ...opts, recipients: ['Owner@acme.example', 'lead@acme.example', 'owner@acme.example'] });
    const [m] = await s.waitFor(1);
    expect(m.to).toEqual(['Owner@acme.example', 'lead@acme.example']);
  });

  it('no recipients at all is a configuration error (not retried), and nothing is sent', async () => {
    const s = await smtp();
    const err = await sendToChannel(email(s.port, { to: undefined }), firedMessage(), { ...opts, recipients: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: 'config', retryable: false });
    expect(s.messages).toHaveLength(0);
  });

  it('logs in when the server requires it', async () => {
    const s = await smtp({ auth: { user: 'mailer', pass: PASSWORD } });
    await sendToChannel(email(s.port, {}, { user: 'mailer', pass: PASSWORD }), firedMessage(), opts);
    const [m] = await s.waitFor(1);
    expect(m.user).toBe('mailer');
    expect(m.subject).toBe('[Creditwatch] Critical: Integration credits 80% used');
  });

  it('a wrong password: not retryable, and the error never contains the password', async () => {
    const s = await smtp({ auth: { user: 'mailer', pass: PASSWORD } });
    const wrong = 'Wr0ng-pa55word-XYZ';
    const err = await sendToChannel(email(s.port, {}, { user: 'mailer', pass: wrong }), firedMessage(), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: 'auth', retryable: false, smtpCode: 535 });
    expect(leaks(err, [wrong, PASSWORD, Buffer.from(wrong).toString('base64'), Buffer.from(`\0mailer\0${wrong}`).toString('base64')])).toEqual([]);
    expect(s.messages).toHaveLength(0);
  });

  it('a server that requires a login the channel lacks: not retryable', async () => {
    const s = await smtp({ auth: { user: 'mailer', pass: PASSWORD } });
    const err = await sendToChannel(email(s.port), firedMessage(), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err.retryable).toBe(false);
  });

  it.each([
    [451, true],
    [421, true],
    [554, false],
  ])('MAIL FROM refused with %i → retryable %s', async (code, retryable) => {
    const s = await smtp();
    s.failWith(code);
    const err = await sendToChannel(email(s.port), firedMessage(), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ retryable, smtpCode: code });
  });

  it('one refused recipient: the others get it and the refused one is reported; all refused: not retryable', async () => {
    const s = await smtp();
    s.rejectRecipients.add('owner@acme.example');
    const res = await sendToChannel(email(s.port), firedMessage(), opts);
    expect(res.rejected).toEqual(['owner@acme.example']);
    expect((await s.waitFor(1))[0].to).toEqual(['lead@acme.example']);

    s.rejectRecipients.add('lead@acme.example');
    const err = await sendToChannel(email(s.port), firedMessage(), opts).catch((e) => e);
    expect(err).toMatchObject({ code: 'smtp', retryable: false, smtpCode: 550 });
  });

  it('server down → retryable network error; back up → delivered', async () => {
    const s = await smtp();
    await s.down();
    const err = await sendToChannel(email(s.port), firedMessage(), opts).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: 'network', retryable: true });
    await s.up();
    await sendToChannel(email(s.port), firedMessage(), opts);
    expect(await s.waitFor(1)).toHaveLength(1);
  });

  it('a server that never greets → timeout, retryable', async () => {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    const t0 = Date.now();
    const err = await sendToChannel(email(hole.port), firedMessage(), { ...opts, timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
