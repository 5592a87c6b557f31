import { describe, expect, it } from 'vitest';
import { drawdown, type DrawdownReading } from '../../../shared/ledger/drawdown';
import type { Grant } from '../../../shared/schemas/grants';
import { grant, ms } from './fixtures';

// Cycles start on the 1st at 00:00 UTC; the current one is March 2026 (allowance 100).
const ANCHOR = '2026-01-01T00:00:00Z';
const NOW = ms('2026-03-20T00:00:00Z');
const e = (at: string, credits: number, exact = true) => ({ at: ms(at), credits, exact });

interface Expected {
  limit: number;
  used: number;
  remaining: number;
  grants?: { remaining: number; nextExpiry?: string };
  exactAfterReading?: boolean;
}

function run(grants: Grant[], events: ReturnType<typeof e>[], reading?: DrawdownReading): Expected {
  const d = drawdown({ anchorIso: ANCHOR, now: NOW, allowance: 100, grants, events, reading });
  expect(d.cycle).toEqual({ start: ms('2026-03-01T00:00:00Z'), end: ms('2026-04-01T00:00:00Z') });
  const out: Expected = { limit: d.limit, used: d.used, remaining: d.remaining };
  if (d.grants) {
    out.grants = { remaining: d.grants.remaining };
    if (d.grants.nextExpiry !== undefined) out.grants.nextExpiry = new Date(d.grants.nextExpiry).toISOString();
  }
  if (d.exactAfterReading !== undefined) out.exactAfterReading = d.exactAfterReading;
  return out;
}

describe('drawdown: plan allowance, then bonus (soonest expiry), then top-ups (earliest purchase)', () => {
  it.each<[string, Grant[], ReturnType<typeof e>[], Expected]>([
    ['plan only, fractional credits sum exactly', [], [e('2026-03-02T00:00:00Z', 0.1), e('2026-03-02T01:00:00Z', 0.2), e('2026-03-03T00:00:00Z', 40)],
      { limit: 100, used: 40.3, remaining: 59.7 }],
    ['plan allowance does not roll over', [], [e('2026-02-10T00:00:00Z', 10)], { limit: 100, used: 0, remaining: 100 }],
    ['events after now are not counted', [], [e('2026-03-25T00:00:00Z', 10)], { limit: 100, used: 0, remaining: 100 }],
    ['overspend → remaining 0', [], [e('2026-03-05T00:00:00Z', 130)], { limit: 100, used: 130, remaining: 0 }],
    ['plan first, then the earliest top-up (the one expiring mid-cycle loses less)',
      [grant('late', 50, '2025-06-01T00:00:00Z'), grant('early', 50, '2025-03-10T00:00:00Z')],
      [e('2026-03-05T00:00:00Z', 120)],
      // early: 20 spent, 30 lost on Mar 10; late: 50 left. limit = 100 + 100 carried − 30 lost.
      { limit: 170, used: 120, remaining: 50, grants: { remaining: 50, nextExpiry: '2026-06-01T00:00:00.000Z' } }],
    ['bonus before top-ups, even when the top-up expires sooner',
      [grant('top', 50, '2025-03-10T00:00:00Z'), grant('bonus', 10, '2026-03-02T00:00:00Z', { type: 'bonus', expiresAt: '2026-09-01T00:00:00Z' })],
      [e('2026-03-05T00:00:00Z', 105)],
      // bonus: 5 spent; the untouched top-up loses its 50 on Mar 10. limit = 100 + 50 carried + 10 bought − 50 lost.
      { limit: 110, used: 105, remaining: 5, grants: { remaining: 5, nextExpiry: '2026-09-01T00:00:00.000Z' } }],
    ['bonus with the soonest expiry first, not the earliest bought',
      [grant('b-long', 10, '2026-03-01T12:00:00Z', { type: 'bonus', expiresAt: '2026-09-01T00:00:00Z' }),
        grant('b-short', 10, '2026-03-02T00:00:00Z', { type: 'bonus', expiresAt: '2026-03-15T00:00:00Z' })],
      [e('2026-03-05T00:00:00Z', 108)],
      // b-short: 8 spent, 2 lost on Mar 15; b-long untouched.
      { limit: 118, used: 108, remaining: 10, grants: { remaining: 10, nextExpiry: '2026-09-01T00:00:00.000Z' } }],
    ['top-ups by purchase, not by expiry',
      [grant('late-short', 50, '2026-01-01T00:00:00Z', { expiresAt: '2026-03-10T00:00:00Z' }), grant('early', 50, '2025-12-01T00:00:00Z')],
      [e('2026-03-05T00:00:00Z', 120)],
      // early: 20 spent; late-short untouched, lost on Mar 10.
      { limit: 150, used: 120, remaining: 30, grants: { remaining: 30, nextExpiry: '2026-12-01T00:00:00.000Z' } }],
    ['top-up bought last cycle is still usable this cycle',
      [grant('top', 50, '2026-02-10T00:00:00Z')],
      [e('2026-02-15T00:00:00Z', 120), e('2026-03-05T00:00:00Z', 110)],
      // February: 100 plan + 20 top-up; March: 100 plan + 10 top-up.
      { limit: 130, used: 110, remaining: 20, grants: { remaining: 20, nextExpiry: '2027-02-10T00:00:00.000Z' } }],
    ['top-up that expired before the cycle is not usable',
      [grant('old', 50, '2025-02-01T00:00:00Z')],
      [e('2026-03-05T00:00:00Z', 110)],
      { limit: 100, used: 110, remaining: 0 }],
    ['top-up bought after now is not usable yet',
      [grant('future', 50, '2026-03-25T00:00:00Z')],
      [e('2026-03-05T00:00:00Z', 110)],
      { limit: 100, used: 110, remaining: 0 }],
    ['grant leftover is lost at expiry',
      [grant('expiring', 50, '2025-03-10T00:00:00Z')],
      [],
      { limit: 100, used: 0, remaining: 100, grants: { remaining: 0 } }],
    ['top-up bought mid-cycle adds to the limit',
      [grant('top', 50, '2026-03-05T00:00:00Z')],
      [e('2026-03-06T00:00:00Z', 120)],
      { limit: 150, used: 120, remaining: 30, grants: { remaining: 30, nextExpiry: '2027-03-05T00:00:00.000Z' } }],
    ['overspend before a purchase stays counted (estimates erred low)',
      [grant('top', 50, '2026-03-05T00:00:00Z')],
      [e('2026-03-03T00:00:00Z', 110)],
      { limit: 150, used: 110, remaining: 40, grants: { remaining: 50, nextExpiry: '2027-03-05T00:00:00.000Z' } }],
    ['grant leftovers are replayed over several cycles',
      [grant('a', 100, '2025-04-15T00:00:00Z')],
      [e('2025-04-20T00:00:00Z', 150), e('2025-05-20T00:00:00Z', 120), e('2026-01-05T00:00:00Z', 99)],
      // April: 50 from a; May: 20 from a; January: within plan. 30 left.
      { limit: 130, used: 0, remaining: 130, grants: { remaining: 30, nextExpiry: '2026-04-15T00:00:00.000Z' } }],
    ['a shorter grant reaching into the replay start moves the start back',
      [grant('a', 100, '2025-04-15T00:00:00Z'), grant('b', 10, '2025-03-20T00:00:00Z', { type: 'bonus', expiresAt: '2025-04-20T00:00:00Z' })],
      [e('2025-03-25T00:00:00Z', 105), e('2025-04-18T00:00:00Z', 150), e('2025-05-20T00:00:00Z', 120)],
      // March: 5 of b; April: 5 of b, then 45 of a; May: 20 of a. 35 left (40 if b had been full in April).
      { limit: 135, used: 0, remaining: 135, grants: { remaining: 35, nextExpiry: '2026-04-15T00:00:00.000Z' } }],
  ])('%s', (_what, grants, events, expected) => {
    expect(run(grants, events)).toStrictEqual(expected);
  });
});

describe('drawdown from a reading', () => {
  it.each<[string, Grant[], ReturnType<typeof e>[], DrawdownReading, Expected]>([
    ['the reading replaces the estimate; later events subtract', [], [e('2026-03-02T00:00:00Z', 10), e('2026-03-12T00:00:00Z', 5)],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 60 }, { limit: 100, used: 45, remaining: 55, exactAfterReading: true }],
    ['an event at the reading instant is already in it', [], [e('2026-03-10T00:00:00Z', 5)],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 60 }, { limit: 100, used: 40, remaining: 60, exactAfterReading: true }],
    ['an estimated event after the reading', [], [e('2026-03-12T00:00:00Z', 5, false)],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 60 }, { limit: 100, used: 45, remaining: 55, exactAfterReading: false }],
    ["the reading's limit wins over the plan's", [], [],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 60, limit: 250 }, { limit: 250, used: 190, remaining: 60, exactAfterReading: true }],
    ['a reading above the limit raises the limit', [], [],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 500 }, { limit: 500, used: 0, remaining: 500, exactAfterReading: true }],
    ['a grant bought after the reading adds to remaining and limit', [grant('top', 1000, '2026-03-14T00:00:00Z')], [],
      { at: ms('2026-03-13T00:00:00Z'), remaining: 70, limit: 100 },
      { limit: 1100, used: 30, remaining: 1070, exactAfterReading: true, grants: { remaining: 1000, nextExpiry: '2027-03-14T00:00:00.000Z' } }],
    ['a reading above the grants leaves plan credits, spent before the grants',
      [grant('top', 50, '2026-02-01T00:00:00Z')], [e('2026-03-12T00:00:00Z', 15)],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 60 },
      // 10 plan credits left at the reading: the event takes them, then 5 of the top-up.
      { limit: 150, used: 105, remaining: 45, exactAfterReading: true, grants: { remaining: 45, nextExpiry: '2027-02-01T00:00:00.000Z' } }],
    ['a reading below the grants takes from them; their leftover is then lost at expiry',
      [grant('bonus', 50, '2026-03-02T00:00:00Z', { type: 'bonus', expiresAt: '2026-03-18T00:00:00Z' })], [],
      { at: ms('2026-03-10T00:00:00Z'), remaining: 20 },
      // Plan gone and 30 of the bonus spent by Mar 10; 20 lost on Mar 18. Used = 100 + 30.
      { limit: 130, used: 130, remaining: 0, exactAfterReading: true, grants: { remaining: 0 } }],
  ])('%s', (_what, grants, events, reading, expected) => {
    expect(run(grants, events, reading)).toStrictEqual(expected);
  });
});
