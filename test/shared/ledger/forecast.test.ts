import { describe, expect, it } from 'vitest';
import { forecast, type ForecastInput } from '../../../shared/ledger/forecast';
import type { Forecast } from '../../../shared/schemas/balance';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.parse('2026-03-20T00:00:00Z');
const END = Date.parse('2026-04-01T00:00:00Z'); // reset in 12 days
const at = (daysAgo: number, credits: number) => ({ at: NOW - daysAgo * D, credits });

describe('forecast', () => {
  it.each<[string, Omit<ForecastInput, 'now' | 'cycleEnd'> & { cycleEnd?: number }, Forecast]>([
    ['runs out before the reset', { events: [at(1, 30), at(6.5, 40)], remaining: 100 },
      { perDay: 10, runOutAt: '2026-03-30T00:00:00.000Z', beforeReset: true }],
    ['runs out after the reset', { events: [at(1, 30), at(6.5, 40)], remaining: 200 },
      { perDay: 10, runOutAt: '2026-04-09T00:00:00.000Z', beforeReset: false }],
    ['events before the window do not count', { events: [at(8, 1000), at(2, 7)], remaining: 7 },
      { perDay: 1, runOutAt: '2026-03-27T00:00:00.000Z', beforeReset: true }],
    ['events after now do not count', { events: [at(-1, 1000), at(2, 7)], remaining: 7 },
      { perDay: 1, runOutAt: '2026-03-27T00:00:00.000Z', beforeReset: true }],
    ['the window is clipped to observedSince', { events: [at(1, 10)], remaining: 100, observedSince: NOW - 2 * D },
      { perDay: 5, runOutAt: '2026-04-09T00:00:00.000Z', beforeReset: false }],
    ['the window is at least 1 hour', { events: [{ at: NOW - 5 * 60_000, credits: 1 }], remaining: 24, observedSince: NOW - 10 * 60_000 },
      { perDay: 24, runOutAt: '2026-03-21T00:00:00.000Z', beforeReset: true }],
    ['a custom window', { events: [at(0.5, 3), at(2, 10)], remaining: 30, windowMs: D },
      { perDay: 3, runOutAt: '2026-03-30T00:00:00.000Z', beforeReset: true }],
    ['perDay is rounded to 2 decimals; the run-out uses the exact rate', { events: [at(3, 10)], remaining: 10 },
      { perDay: 1.43, runOutAt: '2026-03-27T00:00:00.000Z', beforeReset: true }],
    ['no usage: no run-out', { events: [], remaining: 100 }, { perDay: 0, beforeReset: false }],
    ['nothing left: runs out now', { events: [], remaining: 0 }, { perDay: 0, runOutAt: '2026-03-20T00:00:00.000Z', beforeReset: true }],
    ['nothing left at the reset instant: not before the reset', { events: [at(1, 5)], remaining: 0, cycleEnd: NOW },
      { perDay: 0.71, runOutAt: '2026-03-20T00:00:00.000Z', beforeReset: false }],
  ])('%s', (_what, q, expected) => {
    expect(forecast({ now: NOW, cycleEnd: END, ...q })).toStrictEqual(expected);
  });
});
