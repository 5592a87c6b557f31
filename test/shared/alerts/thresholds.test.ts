import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/alerts';
import type { AlertCondition } from '../../../shared/schemas/alerts';
import { APRIL, input, MARCH, NOW, DAY, pool, rule, run, summary } from './fixtures';

type Step = [fired: string[], resolved: string[]];
const quiet: Step = [[], []];

/** One workspace integration pool of 100 credits, used as the row says at each step. */
function percentRun(thresholds: number[], used: number[]) {
  const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds }])];
  return run({ rules }, used.map((u) => ({ balances: [pool('integration', 'workspace', u)] })));
}

describe('percent_used', () => {
  it.each<[string, number[], number[], Step[]]>([
    ['below every threshold: nothing', [50, 80, 95], [0, 49.9], [quiet, quiet]],
    ['each threshold fires once as it is crossed; staying above fires nothing', [50, 80, 95], [49, 50, 60, 80, 85, 95, 100], [
      quiet,
      [['percent_used:50 warning'], []],
      quiet,
      [['percent_used:80 warning'], []],
      quiet,
      [['percent_used:95 critical'], []],
      quiet,
    ]],
    ['thresholds crossed together collapse into one alert for the highest', [50, 80, 95], [96], [[['percent_used:95 critical'], []]]],
    ['after a collapse the lower thresholds count as fired', [50, 80, 95], [85, 86, 97], [
      [['percent_used:80 warning'], []],
      quiet,
      [['percent_used:95 critical'], []],
    ]],
    ['a one-threshold list is critical', [80], [79, 81], [quiet, [['percent_used:80 critical'], []]]],
    ['unsorted and repeated thresholds are sorted and counted once', [95, 50, 95], [49, 60, 96], [quiet, [['percent_used:50 warning'], []], [['percent_used:95 critical'], []]]],
    ['hysteresis: between threshold − 5 and the threshold nothing fires or resolves; at threshold − 5 it resolves and re-arms', [50], [50, 47, 50, 45.01, 45, 49, 50], [
      [['percent_used:50 critical'], []],
      quiet,
      quiet,
      quiet,
      [[], ['percent_used:50 recovered']],
      quiet,
      [['percent_used:50 critical'], []],
    ]],
    ['a collapse followed by recovery resolves only the alerted threshold; silent ones re-arm quietly', [50, 80, 95], [96, 90, 89, 44, 51], [
      [['percent_used:95 critical'], []],
      [[], ['percent_used:95 recovered']],
      quiet,
      quiet,
      [['percent_used:50 warning'], []],
    ]],
    ['separately fired alerts recover separately', [50, 80], [55, 85, 70, 40], [
      [['percent_used:50 warning'], []],
      [['percent_used:80 critical'], []],
      [[], ['percent_used:80 recovered']],
      [[], ['percent_used:50 recovered']],
    ]],
  ])('%s', (_what, thresholds, used, expected) => {
    expect(summary(percentRun(thresholds, used).results)).toEqual(expected);
  });

  it('computes percent used from used / limit, not from remaining (grants raise the limit)', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [80] }])];
    const at = (used: number) => evaluateAlerts(input({ rules, balances: [pool('integration', 'workspace', used, { limit: 11000, remaining: 11000 - used })] }));
    expect(at(8799).fired).toEqual([]);
    expect(at(8800).fired.map((a) => [a.threshold, a.pool?.used, a.pool?.limit])).toEqual([[80, 8800, 11000]]);
  });

  it('a sum of fractional credits that reaches a threshold counts as reaching it', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [80] }])];
    const used = 0.7 + 0.1; // 0.7999999999999999 in binary floating point
    const r = evaluateAlerts(input({ rules, balances: [pool('message', 'workspace', used, { limit: 1 })] }));
    expect(r.fired.map((a) => [a.threshold, a.title])).toEqual([[80, 'Message credits 80% used']]);
  });

  it('skips pools with a limit of 0 (no meaningful percentage)', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50] }])];
    expect(evaluateAlerts(input({ rules, balances: [pool('integration', 'workspace', 5, { limit: 0, remaining: 0 })] })).fired).toEqual([]);
  });

  it('stores the collapsed thresholds as fired without an alert', () => {
    const { state } = percentRun([50, 80, 95], [96]);
    expect(state.entries).toEqual({
      [`r1|pool:integration:workspace|percent_used:50|${MARCH.start}`]: { cycleStart: MARCH.start, level: 50, firedAt: '2026-03-20T12:00:00.000Z' },
      [`r1|pool:integration:workspace|percent_used:80|${MARCH.start}`]: { cycleStart: MARCH.start, level: 80, firedAt: '2026-03-20T12:00:00.000Z' },
      [`r1|pool:integration:workspace|percent_used:95|${MARCH.start}`]: { cycleStart: MARCH.start, level: 95, alertId: 'al-1', firedAt: '2026-03-20T12:00:00.000Z' },
    });
  });
});

describe('remaining_below', () => {
  const cond = (thresholds: number[]): AlertCondition => ({ type: 'remaining_below', thresholds });
  it.each<[string, number[], number[], Step[]]>([
    ['fires at the threshold or below, once; the lowest threshold is critical', [1000, 100], [1500, 1000, 500, 100, 50], [
      quiet,
      [['remaining_below:1000 warning'], []],
      quiet,
      [['remaining_below:100 critical'], []],
      quiet,
    ]],
    ['a drop past both collapses into the lowest', [1000, 100], [50], [[['remaining_below:100 critical'], []]]],
    ['resolves at threshold × 1.1 + 1 or more, then re-arms', [1000, 100], [100, 110.9, 111, 1100.9, 1101, 999], [
      [['remaining_below:100 critical'], []],
      quiet,
      [[], ['remaining_below:100 recovered']],
      quiet,
      quiet, // 1000 was collapsed: it re-arms without a resolution
      [['remaining_below:1000 warning'], []],
    ]],
    ['small thresholds need the +1 margin to recover', [5], [5, 6.4, 6.5], [[['remaining_below:5 critical'], []], quiet, [[], ['remaining_below:5 recovered']]]],
  ])('%s', (_what, thresholds, remaining, expected) => {
    const rules = [rule('r1', { type: 'pools' }, [cond(thresholds)])];
    const steps = remaining.map((rem) => ({ balances: [pool('integration', 'workspace', 10000 - rem, { limit: 10000, remaining: rem })] }));
    expect(summary(run({ rules }, steps).results)).toEqual(expected);
  });
});

describe('cycle reset', () => {
  const rules = [rule('r1', { type: 'pools' }, [{ type: 'percent_used', thresholds: [50, 80] }])];
  const april = (used: number) => ({ now: NOW + 13 * DAY, balances: [pool('integration', 'workspace', used, { cycle: APRIL })] });

  it('resolves last cycle\'s active alerts as cycle_reset and re-arms every threshold', () => {
    const { results, state } = run({ rules }, [
      { balances: [pool('integration', 'workspace', 85)] },
      april(10),
      april(55),
    ]);
    expect(summary(results)).toEqual([
      [['percent_used:80 critical'], []],
      [[], ['percent_used:80 cycle_reset']],
      [['percent_used:50 warning'], []],
    ]);
    expect(results[1].resolved[0]).toEqual({ alertId: 'al-1', key: `r1|pool:integration:workspace|percent_used:80|${MARCH.start}`, because: 'cycle_reset' });
    expect(results[2].fired[0].key).toBe(`r1|pool:integration:workspace|percent_used:50|${APRIL.start}`);
    expect(Object.keys(state.entries)).toEqual([`r1|pool:integration:workspace|percent_used:50|${APRIL.start}`]);
  });

  it('a pool still over a threshold after the reset fires again in the new cycle', () => {
    const { results } = run({ rules }, [{ balances: [pool('integration', 'workspace', 60)] }, april(60)]);
    expect(summary(results)).toEqual([
      [['percent_used:50 warning'], []],
      [['percent_used:50 warning'], ['percent_used:50 cycle_reset']],
    ]);
  });
});
