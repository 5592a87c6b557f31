// Usage-event ingest over real HTTP: acceptance, idempotency, validation that stores nothing, attribution.
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
});
afterEach(() => s.close());

const stored = () => s.store.eventLog(t.owner.wsId).list.length;
const balanceOf = async (kind: string) => (await api(s, t.owner, 'GET', `${base}/balance`)).json.pools.find((p: { kind: string; holder: string }) => p.kind === kind && p.holder === 'workspace');

describe('POST events', () => {
  it('accepts a batch, attributes it to the sender, and the same batch again counts as duplicates with the balance unchanged', async () => {
    const batch = { events: [usageEvent(), usageEvent({ credits: 2, action: 'Core.SendEmail' }), usageEvent({ kind: 'message', credits: 0.5, action: 'builder.prompt', context: 'editor' })] };
    const first = await api(s, t.collaborator, 'POST', `${base}/events`, batch);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accepted: 3, duplicates: 0 });
    const after = await balanceOf('integration');
    expect(after).toMatchObject({ limit: 100, used: 3, remaining: 97, exact: false });
    const again = await api(s, t.collaborator, 'POST', `${base}/events`, batch);
    expect(again.json).toEqual({ accepted: 0, duplicates: 3 });
    expect(await balanceOf('integration')).toEqual(after);
    expect(stored()).toBe(3);
    const list = await api(s, t.viewer, 'GET', `${base}/events`);
    expect(list.json.events.map((e: { memberId: string }) => e.memberId)).toEqual([t.collaborator.memberId, t.collaborator.memberId, t.collaborator.memberId]);
    expect(list.json.events[0].receivedAt).toBe(new Date(s.clock.now).toISOString());
  });

  it('duplicates inside one batch and across workspaces', async () => {
    const e = usageEvent();
    expect((await api(s, t.owner, 'POST', `${base}/events`, { events: [e, e] })).json).toEqual({ accepted: 1, duplicates: 1 });
    const other = await seedWorkspace(s, 'Other');
    // Ids are per workspace: another team may use the same id.
    expect((await api(s, other.owner, 'POST', `/api/v1/workspaces/${other.owner.wsId}/events`, { events: [e] })).json).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('concurrent identical batches store each event once', async () => {
    const batch = { events: Array.from({ length: 50 }, () => usageEvent()) };
    const replies = await Promise.all(Array.from({ length: 8 }, () => api(s, t.owner, 'POST', `${base}/events`, batch)));
    expect(replies.reduce((n, r) => n + r.json.accepted, 0)).toBe(50);
    expect(replies.reduce((n, r) => n + r.json.duplicates, 0)).toBe(350);
    expect(stored()).toBe(50);
  });

  it.each([
    ['an unknown field', { ...usageEvent(), prompt: 'secret' }, 'body.events.0.prompt'],
    ['a short id', usageEvent({ id: 'abc' }), 'body.events.0.id'],
    ['an id with a space', usageEvent({ id: 'abc def ghi' }), 'body.events.0.id'],
    ['negative credits', usageEvent({ credits: -1 }), 'body.events.0.credits'],
    ['credits over 100000', usageEvent({ credits: 100001 }), 'body.events.0.credits'],
    ['a bad kind', usageEvent({ kind: 'sms' }), 'body.events.0.kind'],
    ['a bad context', usageEvent({ context: 'prod' }), 'body.events.0.context'],
    ['a bad outcome', usageEvent({ outcome: 'maybe' }), 'body.events.0.outcome'],
    ['a date that is not ISO', usageEvent({ at: 'yesterday' }), 'body.events.0.at'],
    ['a string for credits', usageEvent({ credits: '1' }), 'body.events.0.credits'],
    ['a missing action', (() => { const e: Record<string, unknown> = usageEvent(); delete e.action; return e; })(), 'body.events.0.action'],
    ['a time two days ahead', usageEvent({ at: '2026-11-12T12:00:01Z' }), 'body.events.0.at'],
    ['a time past retention', usageEvent({ at: '2025-01-01T00:00:00Z' }), 'body.events.0.at'],
    ['another member without the lead role', usageEvent({ memberId: 'mem_someone' }), null],
  ])('rejects %s with problem+json and stores nothing of the batch', async (_name, bad, path) => {
    const good = usageEvent();
    const r = await api(s, t.collaborator, 'POST', `${base}/events`, { events: [bad, good].map((e, i) => (i === 0 ? e : e)) });
    if (path === null) {
      expect(r.status).toBe(403);
    } else {
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.json).toMatchObject({ type: expect.any(String), title: 'Bad Request', status: 400, detail: expect.any(String) });
      expect(r.json.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(stored()).toBe(0);
  });

  it.each([
    ['an empty batch', { events: [] }, 'body.events'],
    ['1001 events', { events: Array.from({ length: 1001 }, () => usageEvent()) }, 'body.events'],
    ['no events field', {}, 'body.events'],
    ['an extra top-level field', { events: [usageEvent()], token: 'x' }, 'body.token'],
  ])('rejects %s', async (_n, body, path) => {
    const r = await api(s, t.owner, 'POST', `${base}/events`, body);
    expect(r.status).toBe(400);
    expect(r.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(stored()).toBe(0);
  });

  it('answers malformed JSON 400, the wrong content type 415 and an oversized body 413, all as problem+json', async () => {
    const bad = await api(s, t.owner, 'POST', `${base}/events`, '{"events": [', { 'content-type': 'application/json' });
    expect([bad.status, bad.type]).toEqual([400, expect.stringContaining('problem+json')]);
    const form = await api(s, t.owner, 'POST', `${base}/events`, 'events=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const huge = await api(s, t.owner, 'POST', `${base}/events`, JSON.stringify({ events: [usageEvent({ action: 'x'.repeat(100) })], pad: 'y'.repeat(1_100_000) }));
    expect([huge.status, huge.type]).toEqual([413, expect.stringContaining('problem+json')]);
    expect(stored()).toBe(0);
  });

  it('leads and owners may send events for a named member (backends); unknown members are rejected', async () => {
    const ok = await api(s, t.lead, 'POST', `${base}/events`, { events: [usageEvent({ memberId: t.viewer.memberId, context: 'backend' })] });
    expect(ok.json.accepted).toBe(1);
    expect(s.store.eventLog(t.owner.wsId).list[0].memberId).toBe(t.viewer.memberId);
    const bad = await api(s, t.lead, 'POST', `${base}/events`, { events: [usageEvent({ memberId: 'mem_nobody' })] });
    expect(bad.json.errors[0].path).toBe('body.events.0.memberId');
  });

  it('answers 503 with Retry-After once shutdown has begun, storing nothing', async () => {
    await s.store.close();
    const r = await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent()] });
    expect([r.status, r.type, r.headers.get('retry-after')]).toEqual([503, expect.stringContaining('problem+json'), '5']);
    expect(stored()).toBe(0);
  });

  it('registers apps it has not seen', async () => {
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ appId: 'aaaaaaaaaaaaaaaaaaaaaaaa' })] });
    const apps = await api(s, t.viewer, 'GET', `${base}/apps`);
    expect(apps.json.apps.map((a: { id: string }) => a.id)).toEqual(['aaaaaaaaaaaaaaaaaaaaaaaa']);
  });

  it('applies the per-token rate limit with 429 and Retry-After', async () => {
    await s.close();
    s = await startTestServer({ rateLimitPerMinute: 60 });
    t = await seedWorkspace(s);
    base = `/api/v1/workspaces/${t.owner.wsId}`;
    const codes: number[] = [];
    for (let i = 0; i < 35; i++) codes.push((await api(s, t.owner, 'GET', `${base}/balance`)).status);
    expect(codes.filter((c) => c === 200)).toHaveLength(30);
    const limited = await api(s, t.owner, 'GET', `${base}/balance`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    // Another token has its own budget.
    expect((await api(s, t.viewer, 'GET', `${base}/balance`)).status).toBe(200);
  });
});

describe('routes without a body', () => {
  it('refuse one instead of ignoring it', async () => {
    const s2 = await startTestServer();
    try {
      const t2 = await seedWorkspace(s2);
      const r = await api(s2, t2.owner, 'POST', `/api/v1/workspaces/${t2.owner.wsId}/members/${t2.viewer.memberId}/revoke-tokens`, { everything: true });
      expect([r.status, r.json.errors[0].path]).toEqual([400, 'body']);
      expect((await api(s2, t2.owner, 'POST', `/api/v1/workspaces/${t2.owner.wsId}/members/${t2.viewer.memberId}/revoke-tokens`)).json).toEqual({ revoked: 1 });
    } finally {
      await s2.close();
    }
  });
});
