import { describe, expect, it } from 'vitest';
import { cycleAt, cyclesBetween, dayWindow } from '../../../shared/ledger/cycles';
import { ms } from './fixtures';

const iso = (w: { start: number; end: number }) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() });

describe('cycleAt', () => {
  it.each([
    // [what, anchor, now, start, end]
    ['31st, in the anchor month', '2025-01-31T10:00:00Z', '2025-02-15T00:00:00Z', '2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z'],
    ['31st → Feb 28 (non-leap)', '2025-01-31T10:00:00Z', '2025-03-01T00:00:00Z', '2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z'],
    ['31st → Feb 29 (leap)', '2024-01-31T10:00:00Z', '2024-03-01T00:00:00Z', '2024-02-29T10:00:00.000Z', '2024-03-31T10:00:00.000Z'],
    ['31st back to the 31st after February (no drift)', '2025-01-31T10:00:00Z', '2025-03-31T10:00:00Z', '2025-03-31T10:00:00.000Z', '2025-04-30T10:00:00.000Z'],
    ['31st → Apr 30', '2025-01-31T10:00:00Z', '2025-05-01T00:00:00Z', '2025-04-30T10:00:00.000Z', '2025-05-31T10:00:00.000Z'],
    ['30th → Feb 28, keeps milliseconds', '2025-01-30T08:15:00.500Z', '2025-03-01T00:00:00Z', '2025-02-28T08:15:00.500Z', '2025-03-30T08:15:00.500Z'],
    ['29th → Feb 28 (non-leap), now at the reset', '2025-01-29T23:59:59Z', '2025-02-28T23:59:59Z', '2025-02-28T23:59:59.000Z', '2025-03-29T23:59:59.000Z'],
    ['29th → Feb 29 (leap)', '2024-01-29T12:00:00Z', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z', '2024-03-29T12:00:00.000Z'],
    ['now exactly at a reset belongs to the new cycle', '2026-01-15T09:30:00Z', '2026-03-15T09:30:00Z', '2026-03-15T09:30:00.000Z', '2026-04-15T09:30:00.000Z'],
    ['1 ms before a reset belongs to the old cycle', '2026-01-15T09:30:00Z', '2026-03-15T09:29:59.999Z', '2026-02-15T09:30:00.000Z', '2026-03-15T09:30:00.000Z'],
    ['now at the anchor itself', '2026-01-15T09:30:00Z', '2026-01-15T09:30:00Z', '2026-01-15T09:30:00.000Z', '2026-02-15T09:30:00.000Z'],
    ['now before the anchor: cycles extend backwards', '2026-03-31T10:00:00Z', '2026-01-01T00:00:00Z', '2025-12-31T10:00:00.000Z', '2026-01-31T10:00:00.000Z'],
    ['now before the anchor, in a short month', '2026-03-31T10:00:00Z', '2026-02-28T10:00:00Z', '2026-02-28T10:00:00.000Z', '2026-03-31T10:00:00.000Z'],
    ['year boundary', '2025-06-20T00:00:00Z', '2026-01-05T00:00:00Z', '2025-12-20T00:00:00.000Z', '2026-01-20T00:00:00.000Z'],
    ['31st across a year boundary', '2025-10-31T18:00:00Z', '2026-01-01T00:00:00Z', '2025-12-31T18:00:00.000Z', '2026-01-31T18:00:00.000Z'],
    ['anchor with an offset is read in UTC (1st 01:30Z)', '2026-01-31T23:30:00-02:00', '2026-02-10T00:00:00Z', '2026-02-01T01:30:00.000Z', '2026-03-01T01:30:00.000Z'],
    ['anchor without a zone is read as UTC', '2026-01-10T05:00:00', '2026-02-10T04:59:59Z', '2026-01-10T05:00:00.000Z', '2026-02-10T05:00:00.000Z'],
  ])('%s', (_what, anchor, now, start, end) => {
    expect(iso(cycleAt(anchor, ms(now)))).toEqual({ start, end });
  });

  it('rejects an anchor that is not a date', () => {
    expect(() => cycleAt('soon', 0)).toThrow(RangeError);
  });
});

describe('cyclesBetween', () => {
  it.each([
    ['overlapping cycles, including the one starting at `to`', '2025-01-31T10:00:00Z', '2025-02-10T00:00:00Z', '2025-04-30T10:00:00Z',
      ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z', '2025-04-30T10:00:00.000Z', '2025-05-31T10:00:00.000Z']],
    ['one cycle', '2026-01-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-20T00:00:00Z', ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']],
    ['from after to', '2026-01-01T00:00:00Z', '2026-03-20T00:00:00Z', '2026-03-02T00:00:00Z', []],
  ])('%s', (_what, anchor, from, to, bounds) => {
    const windows = cyclesBetween(anchor, ms(from), ms(to));
    // Consecutive windows share their bound, so a flat list of bounds describes them.
    const flat = windows.length ? [windows[0].start, ...windows.map((w) => w.end)].map((t) => new Date(t).toISOString()) : [];
    expect(flat).toEqual(bounds);
    for (let i = 1; i < windows.length; i++) expect(windows[i].start).toBe(windows[i - 1].end);
  });
});

describe('dayWindow (Free plan daily reset at 00:00 UTC)', () => {
  it.each([
    ['last millisecond of a day', '2026-03-10T23:59:59.999Z', '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['midnight starts the new day', '2026-03-11T00:00:00Z', '2026-03-11T00:00:00.000Z', '2026-03-12T00:00:00.000Z'],
    ['before 1970 (negative epoch)', '1969-12-31T12:00:00Z', '1969-12-31T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
  ])('%s', (_what, now, start, end) => {
    expect(iso(dayWindow(ms(now)))).toEqual({ start, end });
  });
});
