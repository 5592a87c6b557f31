// Alert delivery end to end, against real receivers on loopback: a webhook receiver that verifies signatures
// with the independent `standardwebhooks` package, a real SMTP server, Slack- and Discord-shaped receivers;
// a receiver down then up, and the real server killed mid-retry — each alert delivered exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { api, seedWorkspace, spawnServer, startTestServer, tempDir, usageEvent, type TestServer } from '../support/server';
import { checkDiscordPayload, checkSlackPayload, startSmtp, startWebhookReceiver } from '../support/receivers';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(retrySchedule = [0, 0.2, 0.4, 0.8, 1.6]) {
  const s = await startTestServer({ retrySchedule });
  cleanups.push(() => s.close());
  const t = await seedWorkspace(s);
  const base = `/api/v1/workspaces/${t.owner.wsId}`;
  await api(s, t.owner, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-11-01T00:00:00Z' });
  // One rule under test: fewer alerts to count.
  for (const r of (await api(s, t.owner, 'GET', `${base}/rules`)).json.rules) await api(s, t.owner, 'DELETE', `${base}/rules/${r.id}`);
  await api(s, t.owner, 'POST', `${base}/rules`, { name: 'Integration 50%', scope: { type: 'pool', kind: 'integration', holder: 'workspace' }, conditions: [{ type: 'percent_used', thresholds: [50] }] });
  return { s, t, base };
}

const cross = (s: TestServer, who: Parameters<typeof api>[1], base: string) =>
  api(s, who, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true, appId: 'app_shop_0001' })] });

describe('alert delivery to real receivers', () => {
  it('signs webhooks per Standard Webhooks (verified by the reference implementation)', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const rx = await startWebhookReceiver({ secret });
    cleanups.push(() => rx.close());
    const { s, t, base } = await server();
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'ops', url: rx.url, secret });
    await cross(s, t.collaborator, base);
    const [req] = await rx.waitFor(1);
    expect(req.verified).toBe(true);
    expect(req.json).toMatchObject({ type: 'alert.fired', data: { alert: { condition: 'percent_used', threshold: 50, kind: 'integration' } } });
    expect(req.headers['webhook-id']).toMatch(/^dl_/);
  });

  it('emails owners and leads through a real SMTP server', async () => {
    const smtp = await startSmtp({ auth: { user: 'cw', pass: 'smtp-pass-123' } });
    cleanups.push(() => smtp.close());
    const s = await startTestServer({ retrySchedule: [0, 0.2] });
    cleanups.push(() => s.close());
    const { createWorkspace } = await import('../../server/domain/workspaces');
    const { createInvite } = await import('../../server/domain/pairing');
    const { workspace, invite } = await createWorkspace(s.built.deps, 'Mail');
    const owner = await (await import('../support/server')).pairWith(s, invite!.code);
    const lead = await (await import('../support/server')).pairWith(s, (await createInvite(s.built.deps, workspace.id, { role: 'lead', name: 'Lee', email: 'lee@example.test' })).code);
    await (await import('../support/server')).pairWith(s, (await createInvite(s.built.deps, workspace.id, { role: 'viewer', name: 'Vi', email: 'vi@example.test' })).code);
    const base = `/api/v1/workspaces/${workspace.id}`;
    await api(s, owner, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-11-01T00:00:00Z' });
    await api(s, lead, 'POST', `${base}/channels`, { type: 'email', name: 'Leads', smtp: { host: '127.0.0.1', port: smtp.port, user: 'cw', pass: 'smtp-pass-123' }, from: 'creditwatch@example.test' });
    await cross(s, owner, base);
    // The default rules are on here: wait for the percent-used alert among whatever else fires.
    const mail = await waitFor(async () => smtp.messages.find((m) => /credits \d+% used/.test(m.subject))).catch(async (e) => {
      const alerts = (await api(s, owner, 'GET', `${base}/alerts`)).json.alerts;
      const logs = await Promise.all(alerts.map(async (a: { id: string; title: string }) => [a.title, (await api(s, owner, 'GET', `${base}/alerts/${a.id}/deliveries`)).json.deliveries]));
      throw new Error(`${e.message}: ${JSON.stringify(logs)} mails: ${smtp.messages.map((m) => m.subject)}`);
    });
    expect(mail.to).toEqual(['lee@example.test']);
    expect(mail.user).toBe('cw');
    expect(mail.text).toMatch(/4,800 of 10,000/);
  });

  it('posts Slack Block Kit and Discord embeds of the documented shapes', async () => {
    const slack = await startWebhookReceiver({ status: 200, body: 'ok', path: '/services/T1/B1/x' });
    const discord = await startWebhookReceiver({ status: 204, body: '', path: '/api/webhooks/1/x' });
    cleanups.push(() => slack.close(), () => discord.close());
    const { s, t, base } = await server();
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'slack', name: '#alerts', url: slack.url });
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'discord', name: 'alerts', url: discord.url });
    await cross(s, t.collaborator, base);
    const [sl] = await slack.waitFor(1);
    const [dc] = await discord.waitFor(1);
    expect(checkSlackPayload(sl.json)).toEqual([]);
    expect(checkDiscordPayload(dc.json)).toEqual([]);
    expect(JSON.stringify(sl.json)).toContain('50%');
  });

  it('receiver down, then up: the alert arrives exactly once', async () => {
    const rx = await startWebhookReceiver();
    cleanups.push(() => rx.close());
    await rx.down();
    const { s, t, base } = await server([0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
    await api(s, t.lead, 'POST', `${base}/channels`, { type: 'webhook', name: 'ops', url: rx.url });
    await cross(s, t.collaborator, base);
    const alert = await waitFor(async () => (await api(s, t.viewer, 'GET', `${base}/alerts`)).json.alerts[0]);
    await waitFor(async () => (await api(s, t.viewer, 'GET', `${base}/alerts/${alert.id}/deliveries`)).json.deliveries[0]?.attempts.length >= 2);
    await rx.up();
    await waitFor(async () => (await api(s, t.viewer, 'GET', `${base}/alerts/${alert.id}/deliveries`)).json.deliveries[0]?.state === 'delivered');
    await new Promise((r) => setTimeout(r, 700));
    expect(rx.delivered).toHaveLength(1);
    expect(rx.deliveredIds()).toHaveLength(1);
  });
});

describe('a restart during retries', () => {
  it('the real server, killed with SIGKILL mid-retry, delivers each pending alert exactly once after it restarts', async () => {
    const rx = await startWebhookReceiver();
    cleanups.push(() => rx.close());
    await rx.down();
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const token = 'delivery-test-owner-token-000001';
    const env = { CREDITWATCH_OWNER_TOKEN: token, CREDITWATCH_RETRY_SCHEDULE: '0,0.5,0.5,0.5,0.5,0.5,0.5,0.5' };
    const first = await spawnServer(dir, env);
    cleanups.push(() => first.child.kill('SIGKILL'));
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return r.status === 204 ? undefined : r.json();
    };
    const me = await call(first.url, 'GET', '/api/v1/me');
    const base = `/api/v1/workspaces/${me.workspace.id}`;
    for (const r of (await call(first.url, 'GET', `${base}/rules`)).rules) await call(first.url, 'DELETE', `${base}/rules/${r.id}`);
    await call(first.url, 'POST', `${base}/rules`, { name: 'Integration 50%', scope: { type: 'pool', kind: 'integration', holder: 'workspace' }, conditions: [{ type: 'percent_used', thresholds: [50] }] });
    await call(first.url, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-01-01T00:00:00Z' });
    await call(first.url, 'POST', `${base}/channels`, { type: 'webhook', name: 'ops', url: rx.url });
    await call(first.url, 'POST', `${base}/events`, { events: [usageEvent({ credits: 5200, exact: true, at: new Date().toISOString() })] });
    const alert = await waitFor(async () => (await call(first.url, 'GET', `${base}/alerts`)).alerts[0]);
    await waitFor(async () => (await call(first.url, 'GET', `${base}/alerts/${alert.id}/deliveries`)).deliveries[0]?.attempts.length >= 2);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await rx.up();
    const second = await spawnServer(dir, env);
    cleanups.push(() => second.child.kill('SIGKILL'));
    await rx.waitFor(1, 10_000);
    await waitFor(async () => (await call(second.url, 'GET', `${base}/alerts/${alert.id}/deliveries`)).deliveries[0]?.state === 'delivered');
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.delivered).toHaveLength(1);
    expect(rx.deliveredIds()).toHaveLength(1);
    // The restart did not fire the same alert again either.
    expect((await call(second.url, 'GET', `${base}/alerts`)).alerts.map((a: { id: string }) => a.id)).toEqual([alert.id]);
  });
});

async function waitFor<T>(f: () => Promise<T>, ms = 8000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
