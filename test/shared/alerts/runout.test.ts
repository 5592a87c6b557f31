import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/alerts';
import type { Forecast } from '../../../shared/schemas/balance';
import { APRIL, DAY, HOUR, input, NOW, pool, rule, run, summary } from './fixtures';

type Step = [fired: string[], resolved: string[]];
const quiet: Step = [[], []];
const END = Date.parse('2026-04-01T00:00:00Z'); // the March cycle's reset
const at = (ms: number): Forecast => ({ perDay: 10, runOutAt: new Date(ms).toISOString(), beforeReset: ms < END });
const none: Forecast = { perDay: 0, beforeReset: false };

function runoutRun(leadDays: number, forecasts: Forecast[]) {
  const rules = [rule('r1', { type: 'pools' }, [{ type: 'forecast_runout', leadDays }])];
  return run({ rules }, forecasts.map((forecast) => ({ balances: [pool('integration', 'workspace', 50, { forecast })] })));
}

describe('forecast_runout', () => {
  it.each<[string, number, Forecast[], Step[]]>([
    ['no run-out: nothing', 0, [none], [quiet]],
    ['run-out a day before the reset fires once', 0, [at(END - DAY), at(END - 2 * DAY)], [[['forecast_runout:0d warning'], []], quiet]],
    ['run-out exactly at the reset fires (≤)', 0, [at(END)], [[['forecast_runout:0d warning'], []]]],
    ['run-out 1 ms after the reset does not', 0, [at(END + 1)], [quiet]],
    ['lead 3 days: run-out exactly 3 days before the reset fires', 3, [at(END - 3 * DAY)], [[['forecast_runout:3d warning'], []]]],
    ['lead 3 days: run-out 2 days before the reset does not', 3, [at(END - 2 * DAY)], [quiet]],
    ['resolves only more than 12 h past the deadline, then re-arms', 0, [at(END - DAY), at(END + 6 * HOUR), at(END + 12 * HOUR), at(END + 12 * HOUR + 1), at(END - HOUR)], [
      [['forecast_runout:0d warning'], []],
      quiet,
      quiet,
      [[], ['forecast_runout:0d recovered']],
      [['forecast_runout:0d warning'], []],
    ]],
    ['the band is measured from the lead deadline', 2, [at(END - 3 * DAY), at(END - 2 * DAY + 12 * HOUR), at(END - 2 * DAY + 13 * HOUR)], [
      [['forecast_runout:2d warning'], []],
      quiet,
      [[], ['forecast_runout:2d recovered']],
    ]],
    ['the forecast disappearing (a top-up, a quiet week) resolves', 0, [at(END - DAY), none], [[['forecast_runout:0d warning'], []], [[], ['forecast_runout:0d recovered']]]],
  ])('%s', (_what, leadDays, forecasts, expected) => {
    expect(summary(runoutRun(leadDays, forecasts).results)).toEqual(expected);
  });

  it('an empty pool is critical and says so', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'forecast_runout', leadDays: 0 }])];
    const r = evaluateAlerts(input({ rules, balances: [pool('integration', 'workspace', 100, { forecast: { perDay: 12, runOutAt: new Date(NOW).toISOString(), beforeReset: true } })] }));
    expect(r.fired.map((a) => [a.severity, a.title, a.detail])).toEqual([
      ['critical', 'Integration credits: none left until the reset', '0 of 100 left; resets in 12 days (Apr 1). Nothing left until the reset.'],
    ]);
  });

  it('re-arms at the reset', () => {
    const rules = [rule('r1', { type: 'pools' }, [{ type: 'forecast_runout', leadDays: 0 }])];
    const { results } = run({ rules }, [
      { balances: [pool('integration', 'workspace', 50, { forecast: at(END - DAY) })] },
      { now: END + HOUR, balances: [pool('integration', 'workspace', 1, { cycle: APRIL, forecast: at(END + 20 * DAY) })] },
    ]);
    expect(summary(results)).toEqual([
      [['forecast_runout:0d warning'], []],
      [['forecast_runout:0d warning'], ['forecast_runout:0d cycle_reset']],
    ]);
  });
});
