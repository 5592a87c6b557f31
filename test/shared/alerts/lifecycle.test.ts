import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type EvaluateInput } from '../../../shared/alerts';
import type { AlertRule } from '../../../shared/schemas/alerts';
import { input, MARCH, pool, rule, run, summary } from './fixtures';

const r1 = rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50, 80] }]);
const r2 = rule('r2', { type: 'pools' }, [{ type: 'forecast_runout', leadDays: 0 }]);
const runningOut = { perDay: 10, runOutAt: '2026-03-25T00:00:00.000Z', beforeReset: true };
const balances = [pool('integration', 'workspace', 60, { forecast: runningOut }), pool('message', 'member:ann', 90, { forecast: runningOut })];

describe('rules that change or go', () => {
  it.each<[string, Partial<EvaluateInput>, [string[], string[]]]>([
    ['unchanged: nothing new', {}, [[], []]],
    ['rule disabled: its active alerts resolve as rule_removed', { rules: [{ ...r1, enabled: false }, r2] }, [[], [
      'percent_used:50 rule_removed',
      'percent_used:80 rule_removed',
    ]]],
    ['rule deleted: same', { rules: [r2] }, [[], ['percent_used:50 rule_removed', 'percent_used:80 rule_removed']]],
    ['thresholds edited: the dropped threshold resolves, a new one is evaluated', { rules: [{ ...r1, conditions: [{ type: 'percent_used', thresholds: [50, 85] }] }, r2] }, [
      ['percent_used:85 critical'],
      ['percent_used:80 rule_removed'],
    ]],
    ['the pool disappears (member removed): its alerts resolve as rule_removed', { balances: [balances[0]] }, [[], [
      'percent_used:80 rule_removed', // swept in key order
      'forecast_runout:0d rule_removed',
    ]]],
  ])('%s', (_what, change, expected) => {
    const rules: AlertRule[] = [r1, r2];
    const { results } = run({ rules, balances }, [{}, change]);
    expect(summary(results)[0]).toEqual([
      ['percent_used:50 warning', 'percent_used:80 critical', 'forecast_runout:0d warning', 'forecast_runout:0d warning'],
      [],
    ]);
    expect(summary(results)[1]).toEqual(expected);
  });

  it('a pool gone after the reset resolves its last-cycle alerts as cycle_reset', () => {
    const { results } = run({ rules: [r1] }, [
      { balances: [pool('integration', 'member:unknown', 60)] },
      { now: Date.parse('2026-04-02T00:00:00Z'), balances: [] },
    ]);
    expect(summary(results)).toEqual([[['percent_used:50 warning'], []], [[], ['percent_used:50 cycle_reset']]]);
  });

  it('resolutions name the alert and its key', () => {
    const first = evaluateAlerts(input({ rules: [r1], balances: [balances[0]] }));
    const second = evaluateAlerts(input({ rules: [], balances: [balances[0]], state: first.state }));
    expect(second).toEqual({
      fired: [],
      resolved: [{ alertId: 'al-1', key: `r1|pool:integration:workspace|percent_used:50|${MARCH.start}`, because: 'rule_removed' }],
      state: { entries: {} },
    });
  });

  it('collapsed thresholds of a removed rule go without a resolution (they never had an alert)', () => {
    const first = evaluateAlerts(input({ rules: [r1], balances: [pool('integration', 'workspace', 90)] }));
    expect(Object.keys(first.state.entries)).toHaveLength(2);
    const second = evaluateAlerts(input({ rules: [], state: first.state }));
    expect(second.resolved.map((r) => r.alertId)).toEqual(['al-1']);
    expect(second.state.entries).toEqual({});
  });

  it('is idempotent: the same input with the returned state fires and resolves nothing and keeps the state', () => {
    const all = { rules: [r1, r2], balances };
    const first = evaluateAlerts(input(all));
    const second = evaluateAlerts(input({ ...all, state: JSON.parse(JSON.stringify(first.state)) }));
    expect([second.fired, second.resolved]).toEqual([[], []]);
    expect(second.state).toStrictEqual(first.state);
  });

  it('does not mutate its input', () => {
    const state = { entries: {} };
    const rules = [{ ...r1, conditions: [{ type: 'percent_used' as const, thresholds: [80] }, { type: 'percent_used' as const, thresholds: [50] }] }];
    const frozen = JSON.stringify({ state, rules, balances });
    evaluateAlerts(input({ rules, balances, state }));
    expect(JSON.stringify({ state, rules, balances })).toBe(frozen);
  });

  it('unites the threshold lists of one rule, so two lists sharing a threshold do not fire it twice', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50, 80] }, { type: 'percent_used', thresholds: [80, 95] }])];
    const { results } = run({ rules }, [{ balances: [pool('integration', 'workspace', 85)] }, { balances: [pool('integration', 'workspace', 86)] }]);
    expect(summary(results)).toEqual([[['percent_used:80 warning'], []], [[], []]]);
  });
});
