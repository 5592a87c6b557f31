// The Monitoring API poller against a REAL local fake of Base44's Enterprise Monitoring API (node:http on
// 127.0.0.1, test/support/fake-monitoring.ts). The reply bodies below are fixtures we wrote from the documented
// description (base44-facts.md §5): Base44's real field names under `credit_pool` are NOT confirmed, so they
// cover several plausible spellings. Time is the test server's fake clock; polls are driven with pollNow() and
// pollDue() (timers off) except where the timers themselves are under test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { api, pairWith, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import { startFakeMonitoring, type FakeMonitoring, type FakeReply } from '../support/fake-monitoring';
import { createLogger } from '../../server/log';
import { createWorkspace } from '../../server/domain/workspaces';
import type { MonitoringOptions } from '../../server/monitoring/poller';
import type { Role } from '../../shared/schemas/common';

const KEY = 'b44_mon_Zx8Qw3Rt6Yu9Io1Pa4Sd7Fg0Hj2Kl5';
const B44_WS = '67a1b2c3d4e5f60718293a4b';
const MIN = 60_000;

// --- fixtures (our guesses at the shape; see the header) ---------------------------------------------------
/** Nested snake_case, numbers. */
const nested = {
  workspace_id: B44_WS, tier: 'elite', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z',
  credit_pool: {
    message_credits: { limit: 1200, used: 200, remaining: 1000, daily_limit: null },
    integration_credits: { limit: 50000, used: 1000, remaining: 49000 },
    bonus_credits: 0, over_limit: false,
  },
  member_allocations: [{ user_id: 'u_1', email: 'ana@example.com', message_credits_limit: 100, used: 12 }],
};
/** Wrapped in `data`, short names, numeric strings, remaining left to derive. */
const stringy = {
  data: {
    credit_pool: { messages: { total: '1200', consumed: '250' }, integrations: { allowance: '50,000', consumed: '1500.5' } },
    member_allocations: { u_2: { cap: '50', consumed: '5' } },
  },
};
/** camelCase, flat, `left`/`total`. */
const flat = { creditPool: { messageCreditsLimit: 1200, messageCreditsUsed: 300, messageCreditsRemaining: 900, integrationLeft: 48000, integrationTotal: 50000 } };
const ok = (body: unknown = nested): FakeReply => ({ body });
const integrationOnly = (remaining: number, limit = 10000) => ({ credit_pool: { integration_credits: { limit, used: limit - remaining, remaining } } });

let s: TestServer;
let fake: FakeMonitoring;
let t: Record<Role, Session>;
let base: string;
let logs: string[];

async function start(monitoring: MonitoringOptions = { timers: false }, dir?: string) {
  logs = [];
  s = await startTestServer({ dir, monitoring, log: createLogger('debug', (l) => logs.push(l)) });
}

beforeEach(async () => {
  await start();
  fake = await startFakeMonitoring(() => s.clock.now);
  t = await seedWorkspace(s);
  base = `/api/v1/workspaces/${t.owner.wsId}`;
});
afterEach(async () => {
  await s.close();
  await fake.close();
});

const put = (over: Record<string, unknown> = {}, who = t.owner) =>
  api(s, who, 'PUT', `${base}/monitoring`, { apiKey: KEY, workspaceId: B44_WS, baseUrl: fake.url, ...over });
const pollNow = (who = t.owner) => api(s, who, 'POST', `${base}/monitoring/poll`);
const status = async () => (await api(s, t.lead, 'GET', `${base}/monitoring`)).json;
const readings = async () => (await api(s, t.viewer, 'GET', `${base}/readings`)).json.readings as { pool: string; remaining: number; limit?: number; used?: number; source: string; exact: boolean; memberId: string; at: string }[];
const pool = async (kind: string) => (await api(s, t.viewer, 'GET', `${base}/balance`)).json.pools.find((p: { kind: string; holder: string }) => p.kind === kind && p.holder === 'workspace');
const advance = (ms: number) => void (s.clock.now += ms);

describe('configuring the key', () => {
  it('an owner sets it; replies show it masked, with defaults and the schedule', async () => {
    const r = await put({ baseUrl: undefined, intervalMinutes: undefined });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      configured: true, apiKey: `••••${KEY.slice(-4)}`, workspaceId: B44_WS, baseUrl: 'https://app.base44.com',
      intervalMinutes: 10, setBy: t.owner.memberId, nextPollAt: '2026-11-10T12:00:00.000Z', failures: 0, readingsStored: 0,
    });
    expect((await api(s, t.lead, 'GET', `${base}/monitoring`)).json).toEqual(r.json);
    expect((await api(s, t.lead, 'PUT', `${base}/monitoring`, { apiKey: KEY, workspaceId: B44_WS })).status).toBe(403);
  });

  it('validates the body without ever echoing the key', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ apiKey: `${KEY} ${KEY}` }, 'body.apiKey'],
      [{ apiKey: 'short' }, 'body.apiKey'],
      [{ baseUrl: 'ftp://example.com' }, 'body.baseUrl'],
      [{ baseUrl: `https://user:${KEY}@example.com` }, 'body.baseUrl'],
      [{ intervalMinutes: 0 }, 'body.intervalMinutes'],
      [{ workspaceId: '../x' }, 'body.workspaceId'],
      [{ extra: KEY }, 'body.extra'],
    ];
    for (const [over, path] of cases) {
      const r = await put(over);
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.json.errors[0].path).toBe(path);
      expect(r.text).not.toContain(KEY);
    }
    // Trimmed: a key pasted with spaces around it is the key.
    expect((await put({ apiKey: `  ${KEY}\n` })).json.apiKey).toBe(`••••${KEY.slice(-4)}`);
  });

  it('DELETE forgets the key and stops polling; readings already taken stay', async () => {
    fake.script(B44_WS, ok());
    await put();
    expect((await pollNow()).status).toBe(200);
    expect(await api(s, t.owner, 'DELETE', `${base}/monitoring`)).toMatchObject({ status: 204 });
    expect(await status()).toEqual({ configured: false });
    expect((await pollNow()).status).toBe(409);
    advance(60 * MIN);
    expect(await s.built.monitoring.pollDue()).toBe(0);
    expect(fake.hits).toHaveLength(1);
    expect(await readings()).toHaveLength(2);
    expect((await api(s, t.owner, 'DELETE', `${base}/monitoring`)).status).toBe(204);
  });
});

describe('polling', () => {
  it.each([
    ['nested snake_case', nested, { message: [1000, 1200, 200], integration: [49000, 50000, 1000] }],
    ['wrapped, numeric strings, remaining derived', stringy, { message: [950, 1200, 250], integration: [48499.5, 50000, 1500.5] }],
    ['camelCase, flat, left/total, used derived', flat, { message: [900, 1200, 300], integration: [48000, 50000, 2000] }],
  ])('%s → exact readings for the workspace pools, attributed to the owner', async (_name, body, want) => {
    fake.script(B44_WS, ok(body));
    await put();
    const r = await pollNow();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ poll: 'polled', lastResult: 'ok', lastPollAt: '2026-11-10T12:00:00.000Z', nextPollAt: '2026-11-10T12:10:00.000Z', readingsStored: 2, failures: 0 });
    expect(fake.hits).toEqual([{ workspaceId: B44_WS, apiKey: KEY, at: s.clock.now }]);
    const got = Object.fromEntries((await readings()).map((x) => [x.pool, x]));
    for (const kind of ['message', 'integration'] as const) {
      const [remaining, limit, used] = want[kind];
      expect(got[kind]).toMatchObject({ remaining, limit, used, source: 'monitoring-api', exact: true, memberId: t.owner.memberId, at: '2026-11-10T12:00:00.000Z' });
    }
    expect(await pool('integration')).toMatchObject({ remaining: want.integration[0], exact: true, readingAt: '2026-11-10T12:00:00.000Z' });
  });

  it('member allocations and the tier are kept in the status', async () => {
    fake.script(B44_WS, ok());
    await put();
    await pollNow();
    expect((await status()).latest).toEqual({
      at: '2026-11-10T12:00:00.000Z', tier: 'elite',
      pools: [{ pool: 'message', remaining: 1000, limit: 1200, used: 200 }, { pool: 'integration', remaining: 49000, limit: 50000, used: 1000 }],
      memberAllocations: [{ id: 'u_1', email: 'ana@example.com', limit: 100, used: 12 }],
    });
  });

  it('two polls reconcile: what Base44 says was spent beyond the observed events is recorded as unobserved', async () => {
    fake.script(B44_WS, ok(integrationOnly(9000)), ok(integrationOnly(8950)));
    await put();
    await pollNow();
    advance(5 * MIN);
    await api(s, t.collaborator, 'POST', `${base}/events`, { events: [usageEvent({ at: '2026-11-10T12:03:00Z', credits: 10, exact: true })] });
    expect(await pool('integration')).toMatchObject({ remaining: 8990, exact: true });
    advance(5 * MIN);
    expect(await s.built.monitoring.pollDue()).toBe(1);
    const unobs = (await api(s, t.viewer, 'GET', `${base}/events?action=unobserved`)).json.events;
    expect(unobs).toHaveLength(1);
    expect(unobs[0]).toMatchObject({ credits: 40, kind: 'integration', exact: true, action: 'unobserved', at: '2026-11-10T12:10:00.000Z' });
    expect(await pool('integration')).toMatchObject({ remaining: 8950, exact: true, readingAt: '2026-11-10T12:10:00.000Z' });
    expect((await status()).readingsStored).toBe(2);
  });

  it('polls on the interval, only when due', async () => {
    fake.script(B44_WS, ok());
    await put({ intervalMinutes: 30 });
    expect(await s.built.monitoring.pollDue()).toBe(1);
    advance(29 * MIN);
    expect(await s.built.monitoring.pollDue()).toBe(0);
    advance(MIN);
    expect(await s.built.monitoring.pollDue()).toBe(1);
    expect(fake.hits.map((h) => h.at - fake.hits[0].at)).toEqual([0, 30 * MIN]);
  });
});

describe('Base44 refusing or failing', () => {
  it('429 with Retry-After in seconds: nothing stored, no request until then (not even "poll now"), then success', async () => {
    fake.script(B44_WS, { status: 429, headers: { 'retry-after': '120' }, body: '' }, ok());
    await put();
    const r = await pollNow();
    expect(r.json).toMatchObject({ poll: 'polled', lastResult: 'error', reason: 'rate_limited', failures: 1, nextPollAt: '2026-11-10T12:02:00.000Z', readingsStored: 0 });
    expect(await readings()).toHaveLength(0);
    const again = await pollNow();
    expect([again.status, again.json.poll]).toEqual([202, 'queued']);
    advance(MIN);
    expect(await s.built.monitoring.pollDue()).toBe(0);
    expect(fake.hits).toHaveLength(1);
    advance(MIN);
    expect(await s.built.monitoring.pollDue()).toBe(1);
    expect(await status()).toMatchObject({ lastResult: 'ok', failures: 0, readingsStored: 2, nextPollAt: '2026-11-10T12:12:00.000Z' });
  });

  it('429 with Retry-After as an HTTP date', async () => {
    fake.script(B44_WS, { status: 429, headers: { 'retry-after': new Date(s.clock.now + 5 * MIN).toUTCString() } });
    await put();
    expect((await pollNow()).json).toMatchObject({ reason: 'rate_limited', nextPollAt: '2026-11-10T12:05:00.000Z' });
  });

  it('a bare 429 backs off exponentially: 1 min doubling, capped at 1 h', async () => {
    fake.script(B44_WS, { status: 429 });
    await put();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      await s.built.monitoring.pollDue();
      const next = Date.parse((await status()).nextPollAt);
      waits.push((next - s.clock.now) / MIN);
      s.clock.now = next;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(fake.hits).toHaveLength(9);
  });

  it('500, a network error and a timeout back off too; the next success resets', async () => {
    const dir = s.dir;
    await s.close({ keepDir: true });
    await start({ timers: false, timeoutMs: 300 }, dir);
    fake.script(B44_WS, { status: 500, body: 'Internal Server Error' }, { hang: true }, ok());
    await put();
    expect((await pollNow()).json).toMatchObject({ reason: 'http_500', failures: 1, nextPollAt: '2026-11-10T12:01:00.000Z' });
    advance(MIN);
    expect((await pollNow()).json).toMatchObject({ reason: 'timeout', failures: 2, nextPollAt: '2026-11-10T12:03:00.000Z' });
    expect((await pollNow()).json).toMatchObject({ lastResult: 'ok', failures: 0 });
    // A loopback port nobody listens on any more: connection refused.
    await put({ baseUrl: await closedPort() });
    expect((await pollNow()).json).toMatchObject({ lastResult: 'error', reason: 'network_econnrefused', failures: 1 });
    expect(await readings()).toHaveLength(2);
  });

  it.each([
    ['malformed JSON', { body: '{"credit_pool": {"message_credits": {"limit": 12' }, 'malformed_json'],
    ['HTML', { body: '<html>Oops</html>', headers: { 'content-type': 'text/html' } }, 'malformed_json'],
    ['not an object', { body: [1, 2, 3] }, 'not_an_object'],
    ['no credit_pool', { body: { workspace_id: B44_WS, usage: {} } }, 'no_credit_pool'],
    ['a credit_pool without pools', { body: { credit_pool: { tier: 'pro' } } }, 'no_pools'],
    ['remaining > limit', { body: { credit_pool: { message_credits: { limit: 100, remaining: 150 } } } }, 'pool_rejected'],
    ['inconsistent triples', { body: { credit_pool: { message_credits: { limit: 100, used: 10, remaining: 50 }, integration_credits: { limit: 1000, used: 1, remaining: 1 } } } }, 'pool_rejected'],
    ['negative and non-numeric figures', { body: { credit_pool: { message_credits: { limit: 100, used: -5 }, integration_credits: { limit: 'lots', used: 1 } } } }, 'pool_rejected'],
    ['the wrong key (401)', { status: 401, body: { detail: 'invalid api key' } }, 'unauthorized'],
    ['an unknown workspace (404)', { status: 404 }, 'not_found'],
    ['a redirect (the key must not follow it)', { status: 302, headers: { location: 'http://127.0.0.1:9/steal' } }, 'http_302'],
  ])('%s: no crash, nothing stored, retried at the interval at the soonest', async (_name, reply, reason) => {
    fake.script(B44_WS, reply as FakeReply);
    await put();
    const r = await pollNow();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ lastResult: 'error', reason, readingsStored: 0, failures: 1, nextPollAt: '2026-11-10T12:10:00.000Z' });
    expect(await readings()).toHaveLength(0);
    expect((await pool('message')).exact).toBe(false);
    // Still serving, still polling.
    expect((await api(s, t.viewer, 'GET', '/healthz')).status).toBe(200);
    expect(fake.hits).toHaveLength(1);
  });

  it('a seat-model workspace has no shared pool to read into: nothing stored, said so', async () => {
    await api(s, t.owner, 'PATCH', base, { billingModel: 'seat' });
    fake.script(B44_WS, ok());
    await put();
    expect((await pollNow()).json).toMatchObject({ lastResult: 'error', reason: 'seat_model', readingsStored: 0 });
    expect(await readings()).toHaveLength(0);
  });

  it('a bad pool is skipped with its reason; the good one is stored', async () => {
    fake.script(B44_WS, ok({ credit_pool: { message_credits: { limit: 100, used: 0, remaining: 101 }, integration_credits: { limit: 1000, used: 100 } } }));
    await put();
    expect((await pollNow()).json).toMatchObject({ lastResult: 'error', reason: 'pool_rejected', skipped: [{ pool: 'message', reason: 'remaining_exceeds_limit' }], readingsStored: 1, failures: 0 });
    expect((await readings()).map((x) => [x.pool, x.remaining])).toEqual([['integration', 900]]);
  });
});

describe('the shared request budget (~50 requests/min at Base44)', () => {
  it('many workspaces due at once: never more than 50 requests in any minute of the clock, and every one is polled', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 70; i++) {
      const { invite } = await createWorkspace(s.built.deps, `W${i}`);
      const owner = await pairWith(s, invite!.code);
      const id = `b44ws${String(i).padStart(3, '0')}`;
      fake.script(id, ok(integrationOnly(5000 - i)));
      ids.push(id);
      const r = await api(s, owner, 'PUT', `/api/v1/workspaces/${owner.wsId}/monitoring`, { apiKey: KEY, workspaceId: id, baseUrl: fake.url });
      expect(r.status).toBe(200);
    }
    // Five minutes in 5-second steps, polling whatever is due each time.
    for (let step = 0; step < 60; step++) {
      await s.built.monitoring.pollDue();
      advance(5_000);
    }
    const at = fake.hits.map((h) => h.at).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0; i < at.length; i++) worst = Math.max(worst, at.filter((x) => x >= at[i] && x < at[i] + MIN).length);
    expect(worst).toBeLessThanOrEqual(50);
    expect(new Set(fake.hits.map((h) => h.workspaceId))).toEqual(new Set(ids));
    // 70 at 40 a minute after a burst of 10: all done in about a minute and a half, nobody polled twice.
    expect(fake.hits).toHaveLength(70);
  });

  it('"poll now" spends from the same budget: 202 once it is spent', async () => {
    fake.script(B44_WS, ok());
    await put();
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await pollNow()).status);
    expect(codes).toEqual([...Array(10).fill(200), 202, 202]);
    expect(fake.hits).toHaveLength(10);
    const st = await status();
    expect(Date.parse(st.nextPollAt) - s.clock.now).toBeLessThanOrEqual(1500);
  });
});

describe('timers', () => {
  it('a stored key is polled on its own, and resumes on its schedule after a restart', async () => {
    const dir = s.dir;
    await s.close({ keepDir: true });
    await start({}, dir);
    fake.script(B44_WS, ok(integrationOnly(9000)), ok(integrationOnly(8000)));
    const r = await api(s, t.owner, 'PUT', `${base}/monitoring`, { apiKey: KEY, workspaceId: B44_WS, baseUrl: fake.url });
    expect(r.status).toBe(200);
    await until(() => fake.hits.length === 1);
    await until(async () => (await status()).lastResult === 'ok');
    // Restart 10 minutes later: the timer armed from the stored schedule polls again, with the unsealed key.
    const later = s.clock.now + 10 * MIN;
    await s.close({ keepDir: true });
    s = await startTestServer({ dir, now: later, log: createLogger('silent') });
    await until(() => fake.hits.length === 2);
    expect(fake.hits[1].apiKey).toBe(KEY);
    await until(async () => (await readings()).length === 2);
    expect((await pool('integration')).remaining).toBe(8000);
  });
});

describe('the key never leaves the server', () => {
  it('not in replies, problem details, log lines or any file in the data directory', async () => {
    const replies: string[] = [];
    const call = async (who: Session, method: string, path: string, body?: unknown) => {
      const r = await api(s, who, method, path, body);
      replies.push(r.text);
      return r;
    };
    fake.script(B44_WS,
      { status: 500, body: { error: `bad key ${KEY}` } },
      { status: 429, body: KEY },
      { body: `{"oops": "${KEY}"` },
      // A reply that echoes the key (a misconfigured proxy, a hostile base URL): it must not reach the status.
      ok({ credit_pool: { ...nested.credit_pool, tier: KEY }, tier: KEY, member_allocations: [{ user_id: KEY, name: `x${KEY}x`, email: 'b@example.com', cap: 5 }] }),
      { status: 401, body: { detail: `key ${KEY} revoked` } });
    await call(t.owner, 'PUT', `${base}/monitoring`, { apiKey: KEY, workspaceId: B44_WS, baseUrl: fake.url });
    await call(t.owner, 'PUT', `${base}/monitoring`, { apiKey: `${KEY} `.repeat(3), workspaceId: B44_WS, baseUrl: fake.url });
    await call(t.owner, 'PUT', `${base}/monitoring`, { apiKey: KEY, workspaceId: B44_WS, baseUrl: `http://${KEY}@127.0.0.1:1` });
    await call(t.owner, 'PUT', `${base}/monitoring`, `{"apiKey": "${KEY}", "workspaceId": `);
    for (let i = 0; i < 5; i++) {
      await call(t.owner, 'POST', `${base}/monitoring/poll`);
      advance(2 * 3600_000);
    }
    for (const path of ['/monitoring', '', '/readings', '/balance', '/events', '/members', '/usage']) await call(t.lead, 'GET', `${base}${path}`);
    await call(t.owner, 'GET', '/openapi.json');
    expect(fake.hits.map((h) => h.apiKey)).toEqual(Array(5).fill(KEY));
    const st = (await api(s, t.lead, 'GET', `${base}/monitoring`)).json;
    expect(st.latest.memberAllocations).toEqual([{ email: 'b@example.com', limit: 5 }]);
    expect(st.latest.tier).toBeUndefined();

    for (const text of replies) expect(text).not.toContain(KEY);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).not.toContain(KEY);
    const dir = s.dir;
    await s.close({ keepDir: true });
    const files = walk(dir);
    expect(files.some((f) => f.endsWith('journal.ndjson'))).toBe(true);
    expect(files.some((f) => f.endsWith('snapshot.json'))).toBe(true);
    for (const f of files) expect(readFileSync(f).includes(KEY), f).toBe(false);
    // Sealed, yet still usable after a restart (the timers test polls with it).
    expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).toMatch(/"sealedKey": ?"v1\./);
    s = await startTestServer({ dir, monitoring: { timers: false } });
  });
});

async function closedPort(): Promise<string> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
