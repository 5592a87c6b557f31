// Alerts end to end inside the server: default rules, firing on ingest, SSE frames, acknowledge and snooze,
// channels with masked secrets, the delivery queue's retries and log (here with a counting sender; real
// receivers are in test/server/channels and delivery.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import { openSse } from '../support/sse';
import type { Role } from '../../shared/schemas/common';
import type { Send } from '../../server/alerts/queue';

let s: TestServer;
afterEach(() => s?.close());

const until = async <T,>(f: () => Promise<T | undefined> | T | undefined, ms = 3000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function team(send?: Send, retrySchedule?: number[]): Promise<[Record<Role, Session>, string]> {
  s = await startTestServer({ send, retrySchedule });
  const t = await seedWorkspace(s);
  const base = `/api/v1/workspaces/${t.owner.wsId}`;
  // Builder plan: 10,000 integration credits this cycle.
  await api(s, t.owner, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-11-01T00:00:00Z' });
  return [t, base];
}

describe('alerts', () => {
  it('a new workspace starts with the default rules', async () => {
    const [t, base] = await team();
    const rules = (await api(s, t.viewer, 'GET', `${base}/rules`)).json.rules;
    const conditions = rules.flatMap((r: { conditions: { type: string }[] }) => r.conditions.map((c) => c.type));
    expect(conditions).toEqual(expect.arrayContaining(['percent_used', 'forecast_runout', 'burst']));
    const pct = rules.flatMap((r: { conditions: { type: string; thresholds?: number[] }[] }) => r.conditions).find((c: { type: string }) => c.type === 'percent_used');
    expect(pct.thresholds).toEqual([50, 80, 95]);
  });

  it('crossing 80% fires one alert (collapsed from 50 and 80) with what a lead needs, live on the stream', async () => {
    const [t, base] = await team();
    const stream = await openSse(`${s.url}${base}/stream?token=${t.viewer.token}`);
    await api(s, t.collaborator, 'POST', `${base}/events`, { events: [usageEvent({ credits: 8100, exact: true, appId: 'app_shop_0001', action: 'Core.InvokeLLM' })] });
    const frame = await stream.next((f) => f.event === 'alert' && JSON.parse(f.data!).kind === 'integration');
    const alert = JSON.parse(frame.data!);
    expect(alert).toMatchObject({ condition: 'percent_used', threshold: 80, kind: 'integration', holder: 'workspace', pool: { remaining: 1900, limit: 10000 } });
    expect(alert.top.apps[0]).toMatchObject({ key: 'app_shop_0001', credits: 8100 });
    expect(alert.top.members[0]).toMatchObject({ key: t.collaborator.memberId });
    expect(alert.top.actions[0]).toMatchObject({ key: 'Core.InvokeLLM' });
    const listed = (await api(s, t.viewer, 'GET', `${base}/alerts?state=active`)).json.alerts.filter((a: { condition: string; kind: string }) => a.condition === 'percent_used' && a.kind === 'integration');
    expect(listed.map((a: { threshold: number }) => a.threshold)).toEqual([80]);
    // The same balance again: nothing new.
    await api(s, t.collaborator, 'POST', `${base}/events`, { events: [usageEvent({ credits: 1, exact: true })] });
    await new Promise((r) => setTimeout(r, 100));
    expect((await api(s, t.viewer, 'GET', `${base}/alerts?state=active`)).json.alerts.filter((a: { condition: string; kind: string }) => a.condition === 'percent_used' && a.kind === 'integration')).toHaveLength(1);
    stream.close();
  });

  it('a top-up lifts the balance back: alert.resolved goes out', async () => {
    const [t, base] = await team();
    const stream = await openSse(`${s.url}${base}/stream?token=${t.viewer.token}`);
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true })] });
    const fired = JSON.parse((await stream.next((f) => f.event === 'alert' && JSON.parse(f.data!).threshold === 50)).data!);
    await api(s, t.lead, 'POST', `${base}/grants`, { kind: 'integration', type: 'topup', credits: 8000, purchasedAt: '2026-11-10T11:00:00Z' });
    const resolved = JSON.parse((await stream.next((f) => f.event === 'alert.resolved')).data!);
    expect(resolved).toMatchObject({ id: fired.id, resolvedBecause: 'recovered' });
    stream.close();
  });

  it('acknowledge and snooze are per member, visible to the team, pushed to every device', async () => {
    const [t, base] = await team();
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true })] });
    const alert = await until(async () => (await api(s, t.viewer, 'GET', `${base}/alerts`)).json.alerts[0]);
    const stream = await openSse(`${s.url}${base}/stream?token=${t.lead.token}`);
    await stream.next((f) => f.event === 'balance');
    const acked = await api(s, t.collaborator, 'POST', `${base}/alerts/${alert.id}/ack`, {});
    expect(acked.json.acks).toEqual([{ memberId: t.collaborator.memberId, at: new Date(s.clock.now).toISOString() }]);
    const snoozed = await api(s, t.viewer, 'POST', `${base}/alerts/${alert.id}/ack`, { snoozeMinutes: 60 });
    expect(snoozed.json.snoozes).toEqual([{ memberId: t.viewer.memberId, until: new Date(s.clock.now + 3600_000).toISOString() }]);
    const pushed = await stream.next((f) => f.event === 'alert' && JSON.parse(f.data!).snoozes.length === 1);
    expect(JSON.parse(pushed.data!).acks).toHaveLength(1);
    expect((await api(s, t.viewer, 'POST', `${base}/alerts/al_nope/ack`, {})).status).toBe(404);
    expect((await api(s, t.viewer, 'POST', `${base}/alerts/${alert.id}/ack`, { snoozeMinutes: 0 })).status).toBe(400);
    stream.close();
  });

  it('channels keep secrets: a generated webhook secret is shown once, URLs and passwords are masked', async () => {
    const [t, base] = await team();
    const hook = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'Ops', url: 'https://example.test/hooks/abcdef123456' });
    expect(hook.status).toBe(201);
    expect(hook.json.secret).toMatch(/^whsec_/);
    const slack = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'slack', name: '#alerts', url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX' });
    const mail = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'email', name: 'Leads', smtp: { host: 'smtp.test', port: 587, user: 'u', pass: 'hunter2-password' }, from: 'cw@example.test' });
    expect(slack.json.url).not.toContain('SECRET');
    expect((await api(s, t.viewer, 'GET', `${base}/channels`)).status).toBe(403);
    const listed = (await api(s, t.lead, 'GET', `${base}/channels`)).text;
    for (const secret of [hook.json.secret, 'abcdef123456', 'XXXXSECRETXXXX', 'hunter2-password']) expect(listed).not.toContain(secret);
    expect(mail.json.smtp.pass).not.toContain('hunter2');
    expect((await api(s, t.collaborator, 'POST', `${base}/channels`, { type: 'slack', name: 'x', url: 'https://hooks.slack.com/x' })).status).toBe(403);
    expect((await api(s, t.lead, 'POST', `${base}/channels`, { type: 'slack', name: 'x', url: 'ftp://x' })).json.errors[0].path).toBe('body.url');
  });

  it('retries a failing channel with backoff, logs every attempt, and never delays another channel', async () => {
    const calls: { channel: string; at: number }[] = [];
    let failing = true;
    const send: Send = async (channel) => {
      calls.push({ channel: channel.name, at: Date.now() });
      if (channel.name === 'flaky' && failing) throw Object.assign(new Error('receiver answered 503'), { status: 503, retryable: true });
      return { status: 200 };
    };
    const [t, base] = await team(send, [0, 0.05, 0.1, 0.1]);
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'flaky', url: 'http://127.0.0.1:9/a' });
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'steady', url: 'http://127.0.0.1:9/b' });
    const t0 = Date.now();
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true })] });
    const alert = await until(async () => (await api(s, t.viewer, 'GET', `${base}/alerts`)).json.alerts.find((a: { threshold?: number }) => a.threshold === 50));
    // Let this alert's delivery to the flaky channel fail three times, then bring the receiver back.
    await until(async () => (await api(s, t.viewer, 'GET', `${base}/alerts/${alert.id}/deliveries`)).json.deliveries.some((d: { attempts: unknown[] }) => d.attempts.length >= 3) || undefined);
    failing = false;
    const log = await until(async () => {
      const d = (await api(s, t.viewer, 'GET', `${base}/alerts/${alert.id}/deliveries`)).json.deliveries;
      return d.every((x: { state: string }) => x.state === 'delivered') ? d : undefined;
    });
    const flaky = log.find((d: { channelId: string; attempts: unknown[] }) => d.attempts.length > 1);
    expect(flaky.attempts.slice(0, 3).map((a: { ok: boolean; status: number }) => [a.ok, a.status])).toEqual([[false, 503], [false, 503], [false, 503]]);
    expect(flaky.attempts.at(-1).ok).toBe(true);
    const steady = calls.find((c) => c.channel === 'steady')!;
    expect(steady.at - t0).toBeLessThan(1000);
    // One delivery per alert to the steady channel, each sent once.
    const alerts = (await api(s, t.viewer, 'GET', `${base}/alerts`)).json.alerts.length;
    expect(calls.filter((c) => c.channel === 'steady')).toHaveLength(alerts);
  });

  it('a channel that rules still name cannot be deleted', async () => {
    const [t, base] = await team();
    const ch = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'ops', url: 'http://127.0.0.1:9/x' });
    const rule = await api(s, t.lead, 'POST', `${base}/rules`, { name: 'Only ops', scope: { type: 'pools' }, conditions: [{ type: 'percent_used', thresholds: [90] }], channels: [ch.json.id] });
    const refused = await api(s, t.lead, 'DELETE', `${base}/channels/${ch.json.id}`);
    expect([refused.status, refused.json.detail]).toEqual([409, expect.stringContaining('Only ops')]);
    await api(s, t.lead, 'DELETE', `${base}/rules/${rule.json.id}`);
    expect((await api(s, t.lead, 'DELETE', `${base}/channels/${ch.json.id}`)).status).toBe(204);
  });

  it('"send test" goes through the queue and its delivery can be followed', async () => {
    const sent: string[] = [];
    const [t, base] = await team(async (_c, msg) => (sent.push(msg.type), { status: 204 }));
    const ch = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'discord', name: 'd', url: 'http://127.0.0.1:9/d' });
    const r = await api(s, t.lead, 'POST', `${base}/channels/${ch.json.id}/test`);
    expect(r.status).toBe(202);
    const d = await until(async () => {
      const x = (await api(s, t.viewer, 'GET', `${base}/deliveries/${r.json.deliveryId}`)).json;
      return x.state === 'delivered' ? x : undefined;
    });
    expect(d).toMatchObject({ message: 'test', attempts: [{ ok: true, status: 204 }] });
    expect(sent).toEqual(['test']);
  });
});

describe('alerts that resolve before they were delivered', () => {
  it('cancel the undelivered message and send no "resolved" to that channel', async () => {
    const sent: string[] = [];
    const send: Send = async (channel, msg) => {
      if (channel.name === 'down') throw Object.assign(new Error('connection refused'), { retryable: true });
      sent.push(`${channel.name}:${msg.type}`);
      return { status: 200 };
    };
    const [t, base] = await team(send, [0, 30, 30]);
    for (const r of (await api(s, t.owner, 'GET', `${base}/rules`)).json.rules) await api(s, t.owner, 'DELETE', `${base}/rules/${r.id}`);
    await api(s, t.owner, 'POST', `${base}/rules`, { name: '50%', scope: { type: 'pool', kind: 'integration', holder: 'workspace' }, conditions: [{ type: 'percent_used', thresholds: [50] }] });
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'down', url: 'http://127.0.0.1:9/a' });
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'up', url: 'http://127.0.0.1:9/b' });
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true })] });
    const alert = await until(async () => (await api(s, t.viewer, 'GET', `${base}/alerts`)).json.alerts[0]);
    await until(() => sent.includes('up:alert') || undefined);
    await api(s, t.lead, 'POST', `${base}/grants`, { kind: 'integration', type: 'topup', credits: 8000, purchasedAt: '2026-11-10T11:00:00Z' });
    await until(() => sent.includes('up:alert.resolved') || undefined);
    const log = (await api(s, t.viewer, 'GET', `${base}/alerts/${alert.id}/deliveries`)).json.deliveries;
    const down = log.filter((d: { channelId: string; message: string }) => d.message === 'alert' && !sent.includes('down:alert'));
    expect(down.some((d: { state: string; attempts: { error?: string }[] }) => d.state === 'failed' && /resolved first/.test(d.attempts.at(-1)!.error!))).toBe(true);
    expect(sent.filter((x) => x.startsWith('down:'))).toEqual([]);
    expect(log.filter((d: { message: string }) => d.message === 'alert.resolved')).toHaveLength(1);
  });
});

describe('receivers that push back', () => {
  it('honours Retry-After and disables a Slack hook that is gone', async () => {
    const attempts: Record<string, number[]> = {};
    const send: Send = async (channel) => {
      (attempts[channel.name] ??= []).push(Date.now());
      if (channel.name === 'busy' && attempts.busy.length === 1) throw Object.assign(new Error('answered HTTP 429'), { status: 429, retryable: true, retryAfterMs: 400 });
      if (channel.name === 'gone') throw Object.assign(new Error('slack: answered HTTP 410'), { status: 410, retryable: false, code: 'gone' });
      return { status: 200 };
    };
    const [t, base] = await team(send, [0, 0.01, 0.01]);
    for (const r of (await api(s, t.owner, 'GET', `${base}/rules`)).json.rules) await api(s, t.owner, 'DELETE', `${base}/rules/${r.id}`);
    await api(s, t.owner, 'POST', `${base}/rules`, { name: '50%', scope: { type: 'pool', kind: 'integration', holder: 'workspace' }, conditions: [{ type: 'percent_used', thresholds: [50] }] });
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'busy', url: 'http://127.0.0.1:9/a' });
    const gone = await api(s, t.lead, 'POST', `${base}/channels`, { type: 'slack', name: 'gone', url: 'http://127.0.0.1:9/b' });
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true })] });
    await until(() => (attempts.busy?.length ?? 0) >= 2 || undefined);
    expect(attempts.busy[1] - attempts.busy[0]).toBeGreaterThanOrEqual(380);
    const channels = (await api(s, t.lead, 'GET', `${base}/channels`)).json.channels;
    expect(channels.find((c: { id: string }) => c.id === gone.json.id).enabled).toBe(false);
    expect(attempts.gone).toHaveLength(1);
  });
});
