import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type EvaluateInput } from '../../../shared/alerts';
import { poolRouter } from '../../../shared/ledger/routing';
import type { AlertCondition, AlertScope } from '../../../shared/schemas/alerts';
import { ev, input, msg, NOW, pool, rule, SEC } from './fixtures';

const P80: AlertCondition = { type: 'percent_used', thresholds: [80] };
const apps: EvaluateInput['apps'] = [{ id: 'app1', name: 'Shop', budget: { integration: 100 } }, { id: 'app2', budget: null }];
const events = [
  ev('2026-03-10T00:00:00Z', 50, { appId: 'app1', memberId: 'bob' }),
  ev('2026-03-20T10:00:00Z', 35, { appId: 'app1', exact: false }),
  ev('2026-02-25T00:00:00Z', 100, { appId: 'app1' }), // last cycle
  msg('2026-03-19T00:00:00Z', 30, { appId: 'app1', memberId: 'ann' }), // other kind
  ev('2026-03-19T00:00:00Z', 40, { appId: 'app2', memberId: 'ann' }), // other app
  msg('2026-03-18T00:00:00Z', 8, { memberId: 'ann' }),
  msg('2026-03-18T00:00:00Z', 5, { memberId: 'bob' }),
];
const balances = [
  pool('message', 'workspace', 90),
  pool('message', 'member:ann', 85),
  pool('integration', 'workspace', 90),
];

describe('scopes', () => {
  it.each<[string, AlertScope, [string, string | undefined, string | undefined, string | undefined, number | undefined][]]>([
    // [what, scope, [[alert key's scope part, holder, appId, memberId, pool.used]]]
    ['pools: every pool of the balance', { type: 'pools' }, [
      ['pool:message:workspace', 'workspace', undefined, undefined, 90],
      ['pool:message:member:ann', 'member:ann', undefined, 'ann', 85],
      ['pool:integration:workspace', 'workspace', undefined, undefined, 90],
    ]],
    ['pools of one kind', { type: 'pools', kind: 'integration' }, [['pool:integration:workspace', 'workspace', undefined, undefined, 90]]],
    ['one pool', { type: 'pool', kind: 'message', holder: 'member:ann' }, [['pool:message:member:ann', 'member:ann', undefined, 'ann', 85]]],
    ['a pool the balance does not have: nothing', { type: 'pool', kind: 'message', holder: 'member:bob' }, []],
    ['app: its events of the kind this cycle against its budget (50 + 35)', { type: 'app', appId: 'app1', kind: 'integration' }, [['app:integration:app1', undefined, 'app1', undefined, 85]]],
    ['app without a budget of that kind: no threshold', { type: 'app', appId: 'app1', kind: 'message' }, []],
    ['app with budget null: no threshold', { type: 'app', appId: 'app2', kind: 'integration' }, []],
    ['unknown app: no threshold', { type: 'app', appId: 'nope', kind: 'integration' }, []],
    ['member with a budget: their events of the kind this cycle (30 + 8 of 40)', { type: 'member', memberId: 'ann', kind: 'message', budget: 40 }, [['member:message:ann', undefined, undefined, 'ann', 38]]],
    ['member without a budget: their pool', { type: 'member', memberId: 'ann', kind: 'message' }, [['member:message:ann', 'member:ann', undefined, 'ann', 85]]],
    ['member with neither: no threshold', { type: 'member', memberId: 'bob', kind: 'message' }, []],
  ])('%s', (_what, scope, expected) => {
    const r = evaluateAlerts(input({ rules: [rule('r1', scope, [P80])], balances, events, apps }));
    expect(r.fired.map((a) => [a.key.split('|')[1], a.holder, a.appId, a.memberId, a.pool?.used])).toEqual(expected);
  });

  it('an app budget alert carries the budget as its pool, with a 7-day burn rate', () => {
    const [a] = evaluateAlerts(input({ rules: [rule('r1', { type: 'app', appId: 'app1', kind: 'integration' }, [P80])], events, apps })).fired;
    expect([a.title, a.detail, a.pool]).toStrictEqual([
      "App Shop's integration budget 85% used",
      // 35 credits in the last 7 days (the 50 on Mar 10 is older): 5 a day; 15 left lasts 3 days, to Mar 23 12:00.
      '15 of 100 left (estimate); resets in 12 days (Apr 1). At 5/day it runs out Mar 23, 9 days before the reset. Most in the last 24 h: app Shop (35), no member (35), Core.InvokeLLM (35).',
      { remaining: 15, limit: 100, used: 85, exact: false, resetAt: '2026-04-01T00:00:00.000Z', forecast: { perDay: 5, runOutAt: '2026-03-23T12:00:00.000Z', beforeReset: true } },
    ]);
  });

  it.each<[string, number, number]>([
    // [what, ms before the 7-day window, expected perDay]
    ['a budget\'s burn rate counts an event exactly 7 days old', 0, 10],
    ['…but not one a millisecond older', 1, 0],
  ])('%s', (_what, older, perDay) => {
    const week = [ev(new Date(NOW - 7 * 86_400_000 - older).toISOString(), 70, { appId: 'app1' })];
    const [a] = evaluateAlerts(input({ rules: [rule('r1', { type: 'app', appId: 'app1', kind: 'integration' }, [{ type: 'percent_used', thresholds: [50] }])], events: week, apps })).fired;
    expect([a.pool?.used, a.pool?.forecast.perDay]).toEqual([70, perDay]);
  });

  it('burst and daily_anomaly run on scopes without a budget', () => {
    const loop = Array.from({ length: 20 }, (_, i) => ev(new Date(NOW - i * SEC).toISOString(), 1, { appId: 'app2' }));
    const r = evaluateAlerts(input({
      rules: [rule('r1', { type: 'app', appId: 'app2', kind: 'integration' }, [P80, { type: 'burst', credits: 20, windowSeconds: 60 }, { type: 'daily_anomaly', factor: 3 }])],
      events: loop,
      apps,
    }));
    expect(r.fired.map((a) => [a.condition, a.appId, a.title, a.pool])).toEqual([
      ['burst', 'app2', 'Runaway? Core.InvokeLLM in app app2 spent 20 integration credits in 60 s', undefined],
      ['daily_anomaly', 'app2', "App app2's integration credits: 20 today, usually none", undefined],
    ]);
  });
});

describe('which events belong to a pool', () => {
  // Seat model: app1 belongs to Ann, so its integration credits come out of Ann's pool whoever spends them.
  const seatEvents = [
    ev('2026-03-20T10:00:00Z', 30, { appId: 'app1', memberId: 'bob' }),
    ev('2026-03-20T10:00:00Z', 20, { appId: 'app2', memberId: 'ann' }),
  ];
  const router = poolRouter({ billingModel: 'seat', plan: 'builder', cycleAnchor: '2026-01-01T00:00:00Z', ownerId: 'own' }, [{ id: 'app1', ownerId: 'ann' }]);
  it.each<[string, EvaluateInput['router'], string[]]>([
    ['with the ledger\'s router: the events routed to the pool', router, ['app1']],
    ['without: the events of the pool\'s kind and member', undefined, ['app2']],
  ])('%s', (_what, r, topApps) => {
    const [a] = evaluateAlerts(input({
      rules: [rule('r1', { type: 'pool', kind: 'integration', holder: 'member:ann' }, [P80])],
      balances: [pool('integration', 'member:ann', 90)],
      events: seatEvents,
      router: r,
    })).fired;
    expect(a.top.apps.map((t) => t.key)).toEqual(topApps);
  });
});
