import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/alerts';
import { zonedDays } from '../../../shared/alerts/days';
import type { AlertCondition } from '../../../shared/schemas/alerts';
import type { StoredUsageEvent } from '../../../shared/schemas/events';
import { DAY, ev, HOUR, input, NOW, pool, rule, run, summary } from './fixtures';

// NOW is 2026-03-20T12:00Z. perDay lists the trailing days oldest first; each day's credits land at 06:00 UTC.
const daily = (perDay: number[], today: number): StoredUsageEvent[] => [
  ...perDay.map((c, i) => ev(new Date(NOW - (perDay.length - i) * DAY - 6 * HOUR).toISOString(), c)),
  ev(new Date(NOW - HOUR).toISOString(), today),
];
const X3: AlertCondition = { type: 'daily_anomaly', factor: 3 };
const balances = [pool('integration', 'workspace', 0, { limit: 100000 })];

describe('daily_anomaly: what fires', () => {
  it.each<[string, AlertCondition, StoredUsageEvent[], (number | undefined)[]]>([
    // [what, condition, events, the threshold of each alert that fires (factor × median)]
    ['today above 3 × the median fires', X3, daily([10, 10, 10, 10, 10, 10, 10], 31), [30]],
    ['today at 3 × the median does not (strictly above)', X3, daily([10, 10, 10, 10, 10, 10, 10], 30), []],
    ['the median ignores one spike', X3, daily([10, 500, 10, 10, 10, 10, 10], 31), [30]],
    ['days without usage count as 0', X3, daily([0, 0, 0, 0, 5, 5, 5], 10), [0]],
    ['…but today must reach minCredits (default 10)', X3, daily([0, 0, 0, 0, 5, 5, 5], 9.9), []],
    ['minCredits can be lowered', { ...X3, minCredits: 0.5 }, daily([0, 0, 0, 0, 0, 0, 0], 0.5), [0]],
    ['only the trailing days asked for count', { ...X3, trailingDays: 3 }, daily([50, 50, 50, 50, 1, 1, 1], 10), [3]],
    ['an even number of days takes the mean of the middle two', { ...X3, trailingDays: 4 }, daily([9, 2, 4, 100], 22), [19.5]],
    ['usage from more than N days ago is not a trailing day', X3, daily([900, 900, 0, 0, 0, 0, 0, 0, 0], 10), [0]],
    ['message credits are not in the integration pool', X3, daily([0, 0, 0, 0, 0, 0, 0], 0).concat(ev(new Date(NOW - HOUR).toISOString(), 50, { kind: 'message' })), []],
  ])('%s', (_what, cond, events, thresholds) => {
    const r = evaluateAlerts(input({ rules: [rule('r1', { type: 'pools', kind: 'integration' }, [cond])], balances, events }));
    expect(r.fired.map((a) => a.threshold)).toEqual(thresholds);
  });

  it('"today" is the calendar day in the workspace time zone', () => {
    // New York is UTC−4 on 2026-03-20: its day began at 04:00Z.
    const events = [ev('2026-03-20T03:59:59.999Z', 100), ev('2026-03-20T04:00:00.000Z', 12)];
    const rules = [rule('r1', { type: 'pools' }, [X3])];
    const at = (timezone: string) => evaluateAlerts(input({ rules, balances, events, timezone })).fired.map((a) => [a.title, a.window]);
    expect(at('UTC')).toEqual([['Integration credits: 112 today, usually none', { from: '2026-03-20T00:00:00.000Z', to: '2026-03-20T12:00:00.000Z' }]]);
    expect(at('America/New_York')).toEqual([['Integration credits: 12 today, usually none', { from: '2026-03-20T04:00:00.000Z', to: '2026-03-20T12:00:00.000Z' }]]);
    // In Tokyo (UTC+9) NOW is 21:00 on Mar 20, a day that began at 15:00Z on Mar 19: both events are today.
    expect(at('Asia/Tokyo')).toEqual([['Integration credits: 112 today, usually none', { from: '2026-03-19T15:00:00.000Z', to: '2026-03-20T12:00:00.000Z' }]]);
  });
});

describe('daily_anomaly: once per day, calm at the end of the day', () => {
  it('fires once a day, resolves when the day is over, and may fire again the next day', () => {
    const rules = [rule('r1', { type: 'pools' }, [X3])];
    const base = daily([10, 10, 10, 10, 10, 10, 10], 31);
    const { results } = run({ rules, balances }, [
      { events: base },
      { now: NOW + HOUR, events: [...base, ev(new Date(NOW + 30 * 60_000).toISOString(), 50)] },
      { now: NOW + DAY, events: base },
      { now: NOW + DAY, events: [...base, ev(new Date(NOW + DAY - HOUR).toISOString(), 200)] },
    ]);
    expect(summary(results)).toEqual([
      [['daily_anomaly:3x:7d:10min [2026-03-20] warning'], []],
      [[], []],
      [[], ['daily_anomaly:3x:7d:10min [2026-03-20] calm']],
      [['daily_anomaly:3x:7d:10min [2026-03-21] warning'], []],
    ]);
  });
});

describe('zonedDays', () => {
  it.each<[string, string, string, number, { key: string; startIsos: string[]; end: string }]>([
    ['UTC', '2026-03-20T12:00:00Z', 'UTC', 2, { key: '2026-03-20', startIsos: ['2026-03-18T00:00:00.000Z', '2026-03-19T00:00:00.000Z', '2026-03-20T00:00:00.000Z'], end: '2026-03-21T00:00:00.000Z' }],
    ['New York across the DST change (Mar 8 2026)', '2026-03-09T12:00:00Z', 'America/New_York', 2, {
      key: '2026-03-09',
      startIsos: ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      end: '2026-03-10T04:00:00.000Z',
    }],
    ['Tokyo, where today began yesterday in UTC', '2026-03-20T16:00:00Z', 'Asia/Tokyo', 1, {
      key: '2026-03-21', startIsos: ['2026-03-19T15:00:00.000Z', '2026-03-20T15:00:00.000Z'], end: '2026-03-21T15:00:00.000Z',
    }],
    // NZ leaves DST at 14:00Z on Apr 4 2026: UTC midnight of Apr 5 is already in NZST (+12), local midnight still in NZDT (+13).
    ['Auckland, the day DST ends between local and UTC midnight', '2026-04-05T05:00:00Z', 'Pacific/Auckland', 1, {
      key: '2026-04-05', startIsos: ['2026-04-03T11:00:00.000Z', '2026-04-04T11:00:00.000Z'], end: '2026-04-05T12:00:00.000Z',
    }],
    ['across a month boundary', '2026-03-01T01:00:00Z', 'UTC', 1, { key: '2026-03-01', startIsos: ['2026-02-28T00:00:00.000Z', '2026-03-01T00:00:00.000Z'], end: '2026-03-02T00:00:00.000Z' }],
  ])('%s', (_what, now, tz, trailing, expected) => {
    const d = zonedDays(Date.parse(now), tz, trailing);
    expect({ key: d.key, startIsos: d.startIsos, end: new Date(d.end).toISOString() }).toEqual(expected);
  });
});
