// The popup's pure views: what each number, warning and sentence says for a given `status` reply.
import { describe, expect, it } from 'vitest';
import { LEVEL_COLOURS } from '../../../shared/format';
import type { Flow } from '../../../extension/utils/storage';
import { deriveAppView, deriveBanner, deriveFlow, deriveOutbox, derivePools, deriveRecent, deriveWho } from '../../../extension/models/popup';
import { iso, makeStatus, NOW, pool, team } from './fixtures';

const H = 3_600_000;
const byKind = (s: ReturnType<typeof makeStatus>) => Object.fromEntries(derivePools(s).map((p) => [p.kind, p]));

describe('derivePools', () => {
  it('subtracts credits observed here but not in the balance yet, and floors at 0', () => {
    const p = byKind(makeStatus({ pending: { message: 0, integration: 12.5 } }));
    expect(p.integration).toMatchObject({ remaining: 8987.5, remainingText: '8,987.5', limitText: '10,000', pending: 12.5 });
    const empty = byKind(makeStatus({ balance: { pools: [pool('integration', { remaining: 3 })], at: iso(NOW), receivedAt: NOW }, pending: { message: 0, integration: 5 } }));
    expect(empty.integration).toMatchObject({ remaining: 0, remainingText: '0', level: 'critical', percentLeft: 0 });
  });

  it.each([
    [9_000, 'ok'],
    [2_000, 'low'],
    [400, 'critical'],
    [0, 'critical'],
  ] as const)('colours %d of 10,000 left as %s', (remaining, level) => {
    const p = byKind(makeStatus({ balance: { pools: [pool('integration', { remaining })], at: iso(NOW), receivedAt: NOW } }));
    expect(p.integration).toMatchObject({ level, colour: LEVEL_COLOURS[level] });
  });

  it('marks estimates, highlights the pool the tab spends, and counts down to the reset', () => {
    const s = makeStatus({ tab: { kind: 'message', appId: 'app1', context: 'editor' } });
    s.balance!.pools[1] = pool('integration', { exact: false });
    const p = byKind(s);
    expect(p.message).toMatchObject({ exact: true, highlight: true, reset: 'resets in 3 d 4 h' });
    expect(p.integration).toMatchObject({ exact: false, highlight: false });
  });

  it('says when the forecast runs out before the reset, in red', () => {
    const s = makeStatus();
    s.balance!.pools[1] = pool('integration', { forecast: { perDay: 4000, runOutAt: iso(NOW + 54 * H), beforeReset: true } });
    s.balance!.pools[0] = pool('message', { forecast: { perDay: 2, runOutAt: iso(NOW + 100 * 24 * H), beforeReset: false } });
    const p = byKind(s);
    expect(p.integration.forecast).toEqual({ text: 'runs out in 2 d 6 h — before the reset · ~4,000/day', danger: true });
    expect(p.message.forecast).toEqual({ text: 'runs out in 100 d — after the reset · ~2/day', danger: false });
  });

  it("shows Free's daily allowance and grants", () => {
    const s = makeStatus();
    s.balance!.pools[0] = pool('message', { limit: 25, remaining: 20, daily: { limit: 5, used: 2, remaining: 3, resetAt: iso(NOW + 4 * H) }, grants: { remaining: 50 } });
    expect(byKind(s).message).toMatchObject({ daily: 'today: 3 of 5 left, renews in 4 h', grants: 'incl. 50 top-up/bonus credits' });
  });

  it('shows placeholders when no balance arrived yet', () => {
    const p = byKind(makeStatus({ balance: null }));
    expect(p.message).toMatchObject({ known: false, remainingText: '—', level: 'unknown' });
  });

  it("picks the member's own pool in the seat model", () => {
    const s = makeStatus({ balance: { pools: [pool('message', { holder: 'member:m2', remaining: 1 }), pool('message', { holder: 'member:m1', remaining: 99 })], at: iso(NOW), receivedAt: NOW } });
    expect(byKind(s).message).toMatchObject({ remaining: 99, holder: 'your own pool' });
  });
});

describe('deriveBanner', () => {
  const ooc = { at: iso(NOW - 120_000), appId: 'app1' };
  it.each([
    ['not-paired', makeStatus({ pairing: null, connection: { state: 'unpaired', since: 0 } })],
    ['revoked', makeStatus({ connection: { state: 'revoked', since: NOW }, outOfCredits: ooc })],
    ['out-of-credits', makeStatus({ connection: { state: 'unreachable', since: NOW }, outOfCredits: ooc })],
    ['unreachable', makeStatus({ connection: { state: 'unreachable', since: NOW } })],
    ['connecting', makeStatus({ connection: { state: 'connecting', since: NOW } })],
    ['live', makeStatus()],
  ] as const)('%s', (state, s) => {
    expect(deriveBanner(s).state).toBe(state);
  });

  it('gives the age of the last known values when the server is unreachable', () => {
    const b = deriveBanner(makeStatus({ connection: { state: 'unreachable', since: NOW, error: 'fetch failed' }, balance: { pools: [], at: iso(NOW), receivedAt: NOW - 7 * 60_000 } }));
    expect(b.detail).toBe('last known values, 7 min ago · fetch failed');
  });

  it('names the failing app when out of integration credits', () => {
    const b = deriveBanner(makeStatus({ outOfCredits: { at: iso(NOW - 120_000), appId: 'app1' }, team: team() }));
    expect(b.title).toBe('Out of integration credits — apps calling Base44 integrations are failing');
    expect(b.detail).toBe('App: Shop (app1) · since 2 min ago');
  });
});

describe('deriveFlow', () => {
  const flow = (calls: Partial<Flow['calls'][number]>[]): Flow => ({
    flowId: 'flow0001', appId: 'app1', at: iso(NOW - 30_000),
    calls: calls.map((c) => ({ action: 'Core.InvokeLLM', credits: 1, exact: true, outcome: 'ok', repeat: false, ...c })),
  });

  it('sums one click and lists its calls', () => {
    const v = deriveFlow(flow([{}, { action: 'Core.SendEmail' }, { action: 'Core.UploadFile' }, { action: 'agent.message' }]), NOW);
    expect(v.text).toBe('Last click cost 4 credits: InvokeLLM + SendEmail + UploadFile + agent message');
    expect(v).toMatchObject({ total: 4, estimate: false, age: '30 s ago' });
  });

  it('marks estimates with ~, duplicates with ×N duplicate, and failures', () => {
    const v = deriveFlow(flow([{ exact: false }, { exact: false, repeat: true }, { action: 'connector:googlemaps', credits: 2 }, { action: 'Core.SendEmail', credits: 0, outcome: 'out_of_credits' }]), NOW);
    expect(v.text).toBe('Last click cost ~4 credits: ~InvokeLLM ×2 duplicate + googlemaps connector + SendEmail (out of credits)');
    expect(v.estimate).toBe(true);
  });

  it('says "1 credit" and keeps fractions', () => {
    expect(deriveFlow(flow([{ credits: 0.5 }, { credits: 0.5, action: 'ai-gateway' }]), NOW).text).toBe('Last click cost 1 credit: InvokeLLM + AI gateway');
  });
});

describe('deriveAppView', () => {
  const flows: Flow[] = [
    { flowId: 'flow0002', appId: 'app9', at: iso(NOW - 1000), calls: [{ action: 'Core.InvokeLLM', credits: 1, exact: true, outcome: 'ok', repeat: false }] },
    { flowId: 'flow0001', appId: 'app1', at: iso(NOW - 5000), calls: [{ action: 'Core.SendEmail', credits: 2, exact: true, outcome: 'ok', repeat: false }] },
  ];

  it("shows the tab's app: credits by action this cycle and its own last flow", () => {
    const v = deriveAppView(makeStatus({ tab: { appId: 'app1', context: 'preview', kind: 'integration' }, flows, team: team() }))!;
    expect(v).toMatchObject({ appId: 'app1', name: 'Shop', fromTab: true });
    expect(v.actions.map((a) => [a.name, a.credits])).toEqual([['InvokeLLM', 30], ['SendEmail', 6]]);
    expect(v.lastFlow?.text).toBe('Last click cost 2 credits: SendEmail');
  });

  it('falls back to the newest flow when the URL does not name the app (published apps)', () => {
    expect(deriveAppView(makeStatus({ flows, team: team() }))).toMatchObject({ appId: 'app9', name: 'app9', fromTab: false });
    expect(deriveAppView(makeStatus())).toBeNull();
  });
});

describe('deriveWho', () => {
  it('ranks members and apps with names, marks me, and gives shares', () => {
    const w = deriveWho(makeStatus({ team: team() }));
    expect(w.members.map((m) => [m.name, m.share])).toEqual([['Bo', 0.75], ['Ada (you)', 0.25]]);
    expect(w.apps.map((a) => a.name)).toEqual(['Shop', 'app9']);
    expect(w.note).toBeUndefined();
  });

  it('says the team view is a cached copy and how old it is', () => {
    expect(deriveWho(makeStatus({ team: team(), teamLive: false })).note).toBe('(cached, 5 min ago)');
    expect(deriveWho(makeStatus({ team: null })).note).toBe('no team data yet');
  });
});

describe('deriveRecent and deriveOutbox', () => {
  it('lists the last 8 calls with estimates marked', () => {
    const recent = Array.from({ length: 10 }, (_, i) => ({
      id: `evt0000${i}`, at: iso(NOW - i * 60_000), kind: 'integration' as const, credits: 1, exact: i !== 0, action: 'Core.InvokeLLM', appId: 'app1', context: 'published' as const, outcome: 'ok' as const,
    }));
    const rows = deriveRecent(makeStatus({ recent, team: team() }));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({ id: 'evt00000', age: '0 s ago', action: 'InvokeLLM', app: 'Shop', credits: '~1', outcome: 'ok' });
  });

  it('says how many calls wait and when the next attempt is', () => {
    const delivery = { attempts: 2, nextAttemptAt: NOW + 120_000, acked: [], rejected: [] };
    expect(deriveOutbox(makeStatus({ outbox: { count: 3, delivery } }))).toBe('3 calls waiting to be sent (retrying in 2 min)');
    expect(deriveOutbox(makeStatus({ outbox: { count: 1, delivery: { attempts: 0, acked: [], rejected: [] } } }))).toBe('1 call waiting to be sent (sending)');
    expect(deriveOutbox(makeStatus())).toBeUndefined();
  });
});

describe('observed vs unobserved', () => {
  it.each([
    [undefined, undefined],
    [[{ key: 'published', credits: 40, calls: 40 }, { key: 'preview', credits: 12, calls: 12 }], 'Integration credits seen here: published 40 · preview 12'],
    [[{ key: 'unknown', credits: 55, calls: 2 }, { key: 'published', credits: 40, calls: 40 }], 'Integration credits seen here: published 40 — not seen: 55 (live users, backends)'],
  ])('%j → %s', async (rows, text) => {
    const { observedSplit } = await import('../../../extension/models/popup');
    expect(observedSplit(rows)).toBe(text);
  });
});

describe('last prompts', () => {
  it('lists the app’s builder events, newest first, estimates marked', async () => {
    const { derivePrompts } = await import('../../../extension/models/popup');
    const ev = (id: string, appId: string, action: string, credits: number, exact: boolean) => ({ id, at: '2026-11-24T10:00:00Z', kind: 'message' as const, credits, exact, action, appId, context: 'editor' as const, outcome: 'ok' as const });
    const s = { recent: [ev('a', 'app1', 'builder.prompt', 1.5, true), ev('b', 'app2', 'builder.prompt', 9, true), ev('c', 'app1', 'Core.InvokeLLM', 1, false), ev('d', 'app1', 'builder.discuss', 0.3, false)] } as never;
    expect(derivePrompts(s, 'app1')).toBe('Last prompts: 1.5 · ~0.3 message credits');
    expect(derivePrompts(s, 'app3')).toBeUndefined();
  });
});
