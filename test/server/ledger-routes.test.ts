// Balance, readings (with unobserved usage), usage breakdowns, event paging and CSV, settings — over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import type { Role } from '../../shared/schemas/common';

let s: TestServer;
let t: Record<Role, Session>;
let base: string;
beforeEach(async () => {
  s = await startTestServer();
  t = await seedWorkspace(s);
  base = `/api/v1/workspaces/${t.owner.wsId}`;
  // A Builder plan bought on the 1st: this cycle is Nov 1 – Dec 1.
  await api(s, t.owner, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-01-01T09:00:00Z' });
});
afterEach(() => s.close());

const pool = async (kind: string) => (await api(s, t.viewer, 'GET', `${base}/balance`)).json.pools.find((p: { kind: string; holder: string }) => p.kind === kind && p.holder === 'workspace');
const send = (events: unknown[], who = t.collaborator) => api(s, who, 'POST', `${base}/events`, { events });

describe('balance and readings', () => {
  it('settings drive the pools: plan allowance, cycle, custom limits', async () => {
    expect(await pool('integration')).toMatchObject({ limit: 10000, used: 0, remaining: 10000, exact: false, cycle: { start: '2026-11-01T09:00:00.000Z', end: '2026-12-01T09:00:00.000Z' } });
    const bad = await api(s, t.lead, 'PATCH', base, { plan: 'custom' });
    expect([bad.status, bad.json.errors[0].path]).toEqual([400, 'body.limits']);
    await api(s, t.lead, 'PATCH', base, { plan: 'custom', limits: { message: 300, integration: 12000 } });
    expect((await pool('integration')).limit).toBe(12000);
    const ws = await api(s, t.viewer, 'GET', base);
    expect(ws.json).toMatchObject({ plan: 'custom', limits: { message: 300, integration: 12000 }, allowances: { integration: 12000 } });
    await api(s, t.lead, 'PATCH', base, { plan: 'pro', limits: null });
    expect((await pool('integration')).limit).toBe(20000);
    expect((await api(s, t.lead, 'PATCH', base, { timezone: 'Mars/Olympus' })).json.errors[0].path).toBe('body.timezone');
  });

  it('an exact reading resets the estimate; the next one reveals unobserved use', async () => {
    await send([usageEvent({ at: '2026-11-10T10:00:00Z', credits: 5 })]);
    const r1 = await api(s, t.collaborator, 'POST', `${base}/readings`, { pool: 'integration', remaining: 9000, limit: 10000, at: '2026-11-10T10:30:00Z', source: 'page' });
    expect(r1.status).toBe(201);
    expect(await pool('integration')).toMatchObject({ remaining: 9000, used: 1000, exact: true, readingAt: '2026-11-10T10:30:00.000Z' });
    await send([usageEvent({ at: '2026-11-10T11:00:00Z', credits: 10, exact: true }), usageEvent({ at: '2026-11-10T11:10:00Z', credits: 2, exact: true })]);
    expect(await pool('integration')).toMatchObject({ remaining: 8988, exact: true });
    // Base44 now shows 8950: 50 were spent, 12 of them observed → 38 unobserved (live users, backends).
    const r2 = await api(s, t.collaborator, 'POST', `${base}/readings`, { pool: 'integration', remaining: 8950, at: '2026-11-10T11:30:00Z', source: 'page' });
    expect(r2.json.reconciliation).toEqual({ actual: 50, observed: 12, unobserved: 38, overcounted: 0 });
    const unobs = await api(s, t.viewer, 'GET', `${base}/events?action=unobserved`);
    expect(unobs.json.events).toHaveLength(1);
    expect(unobs.json.events[0]).toMatchObject({ credits: 38, kind: 'integration', exact: true, context: 'unknown' });
    expect(await pool('integration')).toMatchObject({ remaining: 8950, exact: true });
    const byContext = await api(s, t.viewer, 'GET', `${base}/usage?groupBy=context&kind=integration`);
    expect(byContext.json.rows).toEqual([
      { key: 'unknown', credits: 38, calls: 1 },
      { key: 'preview', credits: 17, calls: 3 },
    ]);
  });

  it('an estimated event after the reading makes the balance an estimate again', async () => {
    await api(s, t.lead, 'POST', `${base}/readings`, { pool: 'integration', remaining: 500, at: '2026-11-10T10:00:00Z', source: 'manual' });
    await send([usageEvent({ at: '2026-11-10T11:00:00Z', credits: 1, exact: false })]);
    expect(await pool('integration')).toMatchObject({ remaining: 499, exact: false });
  });

  it.each([
    ['remaining above limit', { remaining: 11, limit: 10 }, 'body.remaining'],
    ['used + remaining ≠ limit', { remaining: 5, limit: 10, used: 4 }, 'body.used'],
    ['a future time', { remaining: 5, at: '2026-11-10T12:10:00Z' }, 'body.at'],
    ['an unknown holder', { remaining: 5, holder: 'member:nobody' }, 'body.holder'],
    ['a bad source', { remaining: 5, source: 'guess' }, 'body.source'],
    ['an unknown field', { remaining: 5, prompt: 'x' }, 'body.prompt'],
  ])('rejects a reading with %s and stores nothing', async (_n, over, path) => {
    const r = await api(s, t.collaborator, 'POST', `${base}/readings`, { pool: 'integration', at: '2026-11-10T11:00:00Z', source: 'page', ...over });
    expect(r.status).toBe(400);
    expect(r.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await api(s, t.viewer, 'GET', `${base}/readings`)).json.readings).toHaveLength(0);
  });

  it('grants extend the pool after the plan allowance', async () => {
    await api(s, t.lead, 'PATCH', base, { plan: 'free' });
    const g = await api(s, t.lead, 'POST', `${base}/grants`, { kind: 'integration', type: 'topup', credits: 1000, purchasedAt: '2026-11-05T00:00:00Z' });
    expect(g.json).toMatchObject({ expiresAt: '2027-11-05T00:00:00.000Z', holder: 'workspace' });
    await send([usageEvent({ at: '2026-11-10T11:00:00Z', credits: 150 })]);
    expect(await pool('integration')).toMatchObject({ limit: 1100, used: 150, remaining: 950 });
    expect((await api(s, t.lead, 'DELETE', `${base}/grants/${g.json.id}`)).status).toBe(204);
    expect(await pool('integration')).toMatchObject({ limit: 100, remaining: 0 });
    expect((await api(s, t.lead, 'DELETE', `${base}/grants/${g.json.id}`)).status).toBe(404);
  });
});

describe('usage, events, CSV', () => {
  beforeEach(async () => {
    await send([
      usageEvent({ id: 'evt_a_000001', at: '2026-11-09T10:00:00Z', credits: 1, action: 'Core.InvokeLLM', appId: 'app_one_00000001' }),
      usageEvent({ id: 'evt_a_000002', at: '2026-11-09T11:00:00Z', credits: 2, action: 'Core.SendEmail', appId: 'app_one_00000001', context: 'published' }),
      usageEvent({ id: 'evt_a_000003', at: '2026-11-10T09:00:00Z', credits: 0.3, kind: 'message', action: 'builder.discuss', context: 'editor', appId: 'app_two_00000002' }),
    ]);
    await send([usageEvent({ id: 'evt_b_000001', at: '2026-11-10T10:00:00Z', credits: 4, action: '@evil', appId: 'app_two_00000002' })], t.owner);
  });

  it.each([
    ['app', [{ key: 'app_two_00000002', credits: 4.3, calls: 2 }, { key: 'app_one_00000001', credits: 3, calls: 2 }]],
    ['member', 'members'],
    ['action', [{ key: '@evil', credits: 4, calls: 1 }, { key: 'Core.SendEmail', credits: 2, calls: 1 }, { key: 'Core.InvokeLLM', credits: 1, calls: 1 }, { key: 'builder.discuss', credits: 0.3, calls: 1 }]],
    ['day', [{ key: '2026-11-10', credits: 4.3, calls: 2 }, { key: '2026-11-09', credits: 3, calls: 2 }]],
  ])('groups by %s', async (groupBy, rows) => {
    const r = await api(s, t.viewer, 'GET', `${base}/usage?groupBy=${groupBy}`);
    expect(r.json.total).toEqual({ credits: 7.3, calls: 4 });
    const expected = rows === 'members' ? [{ key: t.owner.memberId, credits: 4, calls: 1 }, { key: t.collaborator.memberId, credits: 3.3, calls: 3 }] : rows;
    expect(r.json.rows).toEqual(expected);
  });

  it('filters usage by kind and range, and rejects bad queries', async () => {
    expect((await api(s, t.viewer, 'GET', `${base}/usage?kind=message`)).json.total).toEqual({ credits: 0.3, calls: 1 });
    expect((await api(s, t.viewer, 'GET', `${base}/usage?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z`)).json.total).toEqual({ credits: 4.3, calls: 2 });
    expect((await api(s, t.viewer, 'GET', `${base}/usage?appId=app_one_00000001&groupBy=action`)).json.total).toEqual({ credits: 3, calls: 2 });
    expect((await api(s, t.viewer, 'GET', `${base}/usage?memberId=${t.owner.memberId}`)).json.total).toEqual({ credits: 4, calls: 1 });
    for (const [q, path] of [['groupBy=week', 'query.groupBy'], ['from=yesterday', 'query.from'], ['colour=red', 'query.colour'], ['from=2026-11-10T00:00:00Z&to=2026-11-09T00:00:00Z', 'query.to'], ['kind=message&kind=integration', 'query.kind'], ['appId=__proto__', 'query.appId']]) {
      const r = await api(s, t.viewer, 'GET', `${base}/usage?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.errors.map((e: { path: string }) => e.path), q).toContain(path);
    }
  });

  it('pages events newest first with a cursor, without overlap or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await api(s, t.viewer, 'GET', `${base}/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.json.total).toBe(4);
      seen.push(...r.json.events.map((e: { id: string }) => e.id));
      cursor = r.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['evt_b_000001', 'evt_a_000003', 'evt_a_000002', 'evt_a_000001']);
    expect((await api(s, t.viewer, 'GET', `${base}/events?appId=app_one_00000001`)).json.events).toHaveLength(2);
    expect((await api(s, t.viewer, 'GET', `${base}/events?limit=0`)).status).toBe(400);
    expect((await api(s, t.viewer, 'GET', `${base}/events?cursor=garbage`)).status).toBe(400);
  });

  it('exports CSV with a header, quoting and formula-injection guard', async () => {
    const r = await api(s, t.viewer, 'GET', `${base}/events?format=csv&kind=integration`);
    expect(r.type).toContain('text/csv');
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,receivedAt,kind,credits,exact,action,appId,memberId,context,outcome,flowId');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",'@evil,");
  });
});

describe('settings', () => {
  it('apps, prices and members round-trip', async () => {
    const app = await api(s, t.lead, 'PUT', `${base}/apps/698fc81203f85a20f281d9dc`, { name: 'Shop', ownerId: t.collaborator.memberId, customEmailDomain: true });
    expect(app.json).toMatchObject({ id: '698fc81203f85a20f281d9dc', name: 'Shop', ownerId: t.collaborator.memberId });
    expect((await api(s, t.lead, 'PUT', `${base}/apps/x1`, { ownerId: 'mem_nobody' })).status).toBe(400);
    const prices = await api(s, t.lead, 'PATCH', `${base}/prices`, { prices: { 'Core.InvokeLLM': { credits: 2, note: 'GPT-5 in this app' } } });
    expect(prices.json.prices['Core.InvokeLLM']).toMatchObject({ credits: 2 });
    expect(prices.json.overrides).toEqual({ 'Core.InvokeLLM': { credits: 2, note: 'GPT-5 in this app' } });
    const cleared = await api(s, t.lead, 'PATCH', `${base}/prices`, { prices: { 'Core.InvokeLLM': null } });
    expect(cleared.json.prices['Core.InvokeLLM'].credits).toBe(1);
    const members = await api(s, t.viewer, 'GET', `${base}/members`);
    expect(members.json.members).toHaveLength(4);
    expect(members.json.members.some((m: { email?: string }) => m.email)).toBe(false);
  });
});

describe('operations', () => {
  it('health, metrics and an OpenAPI document that lists every route', async () => {
    expect((await api(s, null, 'GET', '/healthz')).json).toEqual({ ok: true });
    await send([usageEvent()]);
    const m = await api(s, t.owner, 'GET', '/metrics');
    expect(m.text).toMatch(/creditwatch_events_accepted_total 1/);
    expect(m.text).toMatch(/creditwatch_http_requests_total\{method="POST",route="\/api\/v1\/workspaces\/:ws\/events",status="200"\} 1/);
    const doc = (await api(s, null, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    for (const r of s.built.routes) expect(doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
    const ingest = doc.paths['/api/v1/workspaces/{ws}/events'].post;
    expect(ingest.requestBody.content['application/json'].schema.properties.events.items.required).toEqual(
      expect.arrayContaining(['id', 'at', 'kind', 'credits', 'exact', 'action', 'context', 'outcome']),
    );
    expect(ingest.requestBody.content['application/json'].schema.properties.events.items.additionalProperties).toBe(false);
    expect((await api(s, null, 'GET', '/nope')).json).toMatchObject({ status: 404, title: 'Not Found' });
  });
});
