import { describe, expect, it } from 'vitest';
import { alertKey, conditionKey, parseAlertKey } from '../../../shared/alerts';
import type { AlertCondition } from '../../../shared/schemas/alerts';

describe('alert keys', () => {
  it.each<[string, [string, string, string, string], string]>([
    ['plain parts', ['r1', 'pool:integration:workspace', 'percent_used:80', '2026-03-01T00:00:00.000Z'], 'r1|pool:integration:workspace|percent_used:80|2026-03-01T00:00:00.000Z'],
    ['"|" and "%" inside a part are escaped', ['r|1', 'app:message:a%b', 'burst:x', 'app1 Core.InvokeLLM'], 'r%7C1|app:message:a%25b|burst:x|app1 Core.InvokeLLM'],
    ['an escape-looking part survives', ['%7C', 's', 'c', 'i'], '%257C|s|c|i'],
  ])('%s', (_what, parts, key) => {
    expect(alertKey(...parts)).toBe(key);
    const [ruleId, scope, condition, instance] = parts;
    expect(parseAlertKey(key)).toEqual({ ruleId, scope, condition, instance });
  });

  it('rejects what is not a key', () => expect(parseAlertKey('a|b|c')).toBeUndefined());

  it.each<[AlertCondition, number | undefined, string]>([
    [{ type: 'percent_used', thresholds: [50, 80] }, 80, 'percent_used:80'],
    [{ type: 'remaining_below', thresholds: [1000] }, 1000, 'remaining_below:1000'],
    [{ type: 'forecast_runout', leadDays: 3 }, undefined, 'forecast_runout:3d'],
    [{ type: 'burst', credits: 20, calls: 30, windowSeconds: 60 }, undefined, 'burst:app+action:60s:20cr:30calls'],
    [{ type: 'burst', calls: 30, windowSeconds: 10, by: 'app' }, undefined, 'burst:app:10s:-cr:30calls'],
    [{ type: 'daily_anomaly', factor: 3 }, undefined, 'daily_anomaly:3x:7d:10min'],
    [{ type: 'daily_anomaly', factor: 2.5, trailingDays: 14, minCredits: 0 }, undefined, 'daily_anomaly:2.5x:14d:0min'],
  ])('conditionKey %j', (c, threshold, key) => {
    expect(conditionKey(c, threshold)).toBe(key);
  });
});
