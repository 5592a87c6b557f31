import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/alerts';
import type { Alert } from '../../../shared/schemas/alerts';
import type { PoolBalance } from '../../../shared/schemas/balance';
import { ev, input, msg, NOW, pool, rule, SEC } from './fixtures';

// NOW = 2026-03-20T12:00Z; the cycle resets 2026-04-01T00:00Z.
const day = [
  ev('2026-03-20T11:00:00Z', 300, { appId: 'app1', memberId: 'ann' }),
  ev('2026-03-20T10:00:00Z', 10, { appId: 'app2', memberId: 'bob', action: 'Core.SendEmail' }),
  ev('2026-03-20T09:00:00Z', 10, { appId: 'app2', memberId: 'bob', action: 'Core.SendEmail' }),
  ev('2026-03-20T08:00:00Z', 20, { memberId: 'zed', action: 'connector:x' }),
  ev('2026-03-19T12:00:00.000Z', 1, { appId: 'app3' }), // exactly 24 h ago: in the window
  ev('2026-03-19T11:59:59.999Z', 500, { appId: 'app1' }), // just before the window
  msg('2026-03-20T11:30:00Z', 400, { appId: 'app1', memberId: 'ann' }), // another pool
];
const integration = pool('integration', 'workspace', 8050, {
  limit: 10000,
  remaining: 1950,
  forecast: { perDay: 410, runOutAt: '2026-03-25T02:45:00.000Z', beforeReset: true },
});

describe('what a fired alert carries', () => {
  it('a threshold alert on a pool', () => {
    const r = evaluateAlerts(input({ rules: [rule('r1', { type: 'pools', kind: 'integration' }, [{ type: 'percent_used', thresholds: [50, 80, 95] }], { name: 'Thresholds' })], balances: [integration], events: day }));
    expect(r.fired).toStrictEqual<Alert[]>([{
      id: 'al-1',
      ruleId: 'r1',
      ruleName: 'Thresholds',
      key: 'r1|pool:integration:workspace|percent_used:80|2026-03-01T00:00:00.000Z',
      kind: 'integration',
      holder: 'workspace',
      condition: 'percent_used',
      threshold: 80,
      severity: 'warning',
      title: 'Integration credits 80% used',
      detail: '1,950 of 10,000 left; resets in 12 days (Apr 1). At 410/day they run out Mar 25, 7 days before the reset. ' +
        'Most in the last 24 h: app Shop (300), Ann (300), Core.InvokeLLM (301).',
      pool: { remaining: 1950, limit: 10000, used: 8050, exact: true, resetAt: '2026-04-01T00:00:00.000Z', forecast: { perDay: 410, runOutAt: '2026-03-25T02:45:00.000Z', beforeReset: true } },
      window: { from: '2026-03-19T12:00:00.000Z', to: '2026-03-20T12:00:00.000Z' },
      top: {
        apps: [
          { key: 'app1', credits: 300, calls: 1, label: 'Shop' },
          { key: 'app2', credits: 20, calls: 2 },
          { key: '(none)', credits: 20, calls: 1 },
          { key: 'app3', credits: 1, calls: 1 },
        ],
        members: [
          { key: 'ann', credits: 300, calls: 1, label: 'Ann' },
          { key: 'bob', credits: 20, calls: 2, label: 'Bob' },
          { key: 'zed', credits: 20, calls: 1 },
          { key: '(none)', credits: 1, calls: 1 },
        ],
        actions: [
          { key: 'Core.InvokeLLM', credits: 301, calls: 2 },
          { key: 'Core.SendEmail', credits: 20, calls: 2 },
          { key: 'connector:x', credits: 20, calls: 1 },
        ],
      },
      firedAt: '2026-03-20T12:00:00.000Z',
      acks: [],
      snoozes: [],
    }]);
  });

  it('top lists keep 5 entries, by credits, then calls, then key', () => {
    const events = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => ev(new Date(NOW - (i + 1) * 1000).toISOString(), i < 2 ? 5 : 1, { appId: id }));
    events.push(ev(new Date(NOW).toISOString(), 0, { appId: 'g' }));
    const [a] = evaluateAlerts(input({ rules: [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50] }])], balances: [pool('integration', 'workspace', 60)], events })).fired;
    expect(a.top.apps).toEqual([
      { key: 'a', credits: 5, calls: 1 },
      { key: 'b', credits: 5, calls: 1 },
      { key: 'g', credits: 1, calls: 2 },
      { key: 'c', credits: 1, calls: 1 },
      { key: 'd', credits: 1, calls: 1 },
    ]);
  });

  it.each<[string, Partial<PoolBalance>, string, string]>([
    ['a member\'s pool, estimated, lasting past the reset', { limit: 100, remaining: 40, exact: false, forecast: { perDay: 1, runOutAt: '2026-05-29T12:00:00.000Z', beforeReset: false } },
      "Ann's message credits 60% used", '40 of 100 left (estimate); resets in 12 days (Apr 1). At 1/day they last past the reset.'],
    ['no burn rate: no forecast sentence', { limit: 250, remaining: 100 }, "Ann's message credits 60% used", '100 of 250 left; resets in 12 days (Apr 1).'],
    ['fractional credits', { limit: 25, remaining: 9.7, forecast: { perDay: 0.3, runOutAt: '2026-04-21T12:00:00.000Z', beforeReset: false } },
      "Ann's message credits 61% used", '9.7 of 25 left; resets in 12 days (Apr 1). At 0.3/day they last past the reset.'],
  ])('texts: %s', (_what, more, title, detail) => {
    const used = (more.limit ?? 100) - (more.remaining ?? 0);
    const [a] = evaluateAlerts(input({ rules: [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50] }])], balances: [pool('message', 'member:ann', used, more)] })).fired;
    expect([a.title, a.detail]).toEqual([title, detail]);
  });

  it('a burst alert: the burst window, the group\'s app, the rule\'s limits', () => {
    const loop = Array.from({ length: 24 }, (_, i) => ev(new Date(NOW - i * 2 * SEC).toISOString(), 1, { appId: 'app1', memberId: 'ann' }));
    const r = evaluateAlerts(input({
      rules: [rule('r1', { type: 'pools', kind: 'integration' }, [{ type: 'burst', credits: 20, calls: 30, windowSeconds: 60 }])],
      balances: [integration],
      events: [...loop, ev('2026-03-20T11:58:59.000Z', 50, { appId: 'app1' })],
    }));
    expect(r.fired.map(({ key, appId, memberId, threshold, severity, title, detail, window, top }) => ({ key, appId, memberId, threshold, severity, title, detail, window, apps: top.apps }))).toEqual([{
      key: 'r1|pool:integration:workspace|burst:app+action:60s:20cr:30calls|app1 Core.InvokeLLM',
      appId: 'app1',
      memberId: undefined,
      threshold: 20,
      severity: 'critical',
      title: 'Runaway? Core.InvokeLLM in app Shop spent 24 integration credits in 60 s',
      detail: '24 calls and 24 credits in the last 60 s (limit: 20 credits or 30 calls). ' +
        '1,950 of 10,000 left; resets in 12 days (Apr 1). At 410/day they run out Mar 25, 7 days before the reset. ' +
        'Most in the last 60 s: app Shop (24), Ann (24), Core.InvokeLLM (24).',
      window: { from: '2026-03-20T11:59:00.000Z', to: '2026-03-20T12:00:00.000Z' },
      apps: [{ key: 'app1', credits: 24, calls: 24, label: 'Shop' }],
    }]);
  });

  it('a remaining_below alert and a forecast alert with a lead', () => {
    const r = evaluateAlerts(input({
      rules: [rule('r1', { type: 'pools' }, [{ type: 'remaining_below', thresholds: [2000] }, { type: 'forecast_runout', leadDays: 3 }])],
      balances: [integration],
    }));
    expect(r.fired.map((a) => [a.condition, a.threshold, a.severity, a.title])).toEqual([
      ['remaining_below', 2000, 'critical', 'Integration credits: 1,950 left (below 2,000)'],
      ['forecast_runout', 3, 'warning', 'Integration credits run out 3+ days before the reset'],
    ]);
  });

  it('a daily anomaly alert', () => {
    const [a] = evaluateAlerts(input({
      rules: [rule('r1', { type: 'pools', kind: 'integration' }, [{ type: 'daily_anomaly', factor: 3, trailingDays: 3 }])],
      balances: [integration],
      events: [ev('2026-03-18T05:00:00Z', 10), ev('2026-03-19T05:00:00Z', 10), ev('2026-03-20T05:00:00Z', 31, { appId: 'app1' })],
    })).fired;
    expect([a.threshold, a.title, a.detail, a.window]).toEqual([
      30,
      'Integration credits: 31 today, 3.1× the usual',
      'So far today (Mar 20): 31 credits; the median of the previous 3 days is 10 a day. ' +
        '1,950 of 10,000 left; resets in 12 days (Apr 1). At 410/day they run out Mar 25, 7 days before the reset. ' +
        'Most today: app Shop (31), no member (31), Core.InvokeLLM (31).',
      { from: '2026-03-20T00:00:00.000Z', to: '2026-03-20T12:00:00.000Z' },
    ]);
  });
});
