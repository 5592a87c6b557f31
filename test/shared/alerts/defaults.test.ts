import { describe, expect, it } from 'vitest';
import { defaultAlertRules, evaluateAlerts } from '../../../shared/alerts';
import { alertRuleBodySchema, type AlertRule } from '../../../shared/schemas/alerts';
import { ev, input, NOW, pool, SEC } from './fixtures';

const rules = (): AlertRule[] => defaultAlertRules().map((b, i) => ({ ...b, id: `d${i}`, enabled: true, createdAt: '2026-01-01T00:00:00Z' }));

describe('defaultAlertRules', () => {
  it('are valid rule bodies with readable names', () => {
    for (const body of defaultAlertRules()) expect(alertRuleBodySchema.parse(body)).toEqual(body);
    expect(defaultAlertRules().map((r) => r.name)).toEqual([
      'Credits 50%, 80% and 95% used',
      'Credits run out before the reset',
      'Runaway loop: one app action spends 20 credits or makes 30 calls in a minute',
    ]);
  });

  it('returns a fresh copy each time (callers may edit it)', () => {
    const a = defaultAlertRules();
    (a[0].conditions[0] as { thresholds: number[] }).thresholds.push(99);
    expect(defaultAlertRules()[0].conditions[0]).toEqual({ type: 'percent_used', thresholds: [50, 80, 95] });
  });

  it.each<[string, Parameters<typeof input>[0], string[]]>([
    ['a pool 85% used', { balances: [pool('message', 'workspace', 85)] }, ['d0|pool:message:workspace|percent_used:80|2026-03-01T00:00:00.000Z']],
    ['a pool running out before the reset', { balances: [pool('integration', 'workspace', 10, { forecast: { perDay: 50, runOutAt: '2026-03-22T00:00:00.000Z', beforeReset: true } })] },
      ['d1|pool:integration:workspace|forecast_runout:0d|2026-03-01T00:00:00.000Z']],
    ['30 calls of one app action in a minute', {
      balances: [pool('integration', 'workspace', 0, { limit: 10000 })],
      events: Array.from({ length: 30 }, (_, i) => ev(new Date(NOW - i * SEC).toISOString(), 0, { appId: 'app1' })),
    }, ['d2|pool:integration:workspace|burst:app+action:60s:20cr:30calls|app1 Core.InvokeLLM']],
    ['but not on message pools', {
      balances: [pool('message', 'workspace', 0, { limit: 10000 })],
      events: Array.from({ length: 30 }, (_, i) => ev(new Date(NOW - i * SEC).toISOString(), 1, { appId: 'app1', kind: 'message' })),
    }, []],
  ])('fire on %s', (_what, more, keys) => {
    expect(evaluateAlerts(input({ rules: rules(), ...more })).fired.map((a) => a.key)).toEqual(keys);
  });
});
