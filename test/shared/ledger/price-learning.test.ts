// Price learning over reconciled intervals: when readings show a real price, when spend is unobserved instead,
// how much evidence a proposal needs, and how it is rounded.
import { describe, expect, it } from 'vitest';
import { learnPrices, stillDismissed, toHalfCredit, type LeftOutReason, type PriceDismissal, type PriceInterval, type PriceProposal } from '../../../shared/ledger/price-learning';
import { reconcileDetailed } from '../../../shared/ledger/reconcile';
import type { PriceOverride } from '../../../shared/ledger/prices';
import { ev, reading } from './fixtures';

const LLM = 'Core.InvokeLLM';
const EMAIL = 'Core.SendEmail';
const IMAGE = 'Core.GenerateImage';

let n = 0;
/** An interval: actual use, estimated calls per action (estimated at the default price), exact credits. */
function iv(actual: number, calls: Record<string, number>, exactCredits = 0): PriceInterval {
  n++;
  const estimated = Object.fromEntries(Object.entries(calls).map(([a, c]) => [a, { calls: c, credits: c * (a === 'agent.message' ? 3 : a.startsWith('Core.') ? 1 : 0) }]));
  return { id: `i${n}`, from: `2026-11-0${n % 9 + 1}T00:00:00Z`, to: `2026-11-0${n % 9 + 1}T01:00:00Z`, holder: 'workspace', actual, exactCredits, estimated };
}

type Expected = Pick<PriceProposal, 'action' | 'proposed' | 'calls' | 'intervals' | 'confidence'>;

describe('learnPrices', () => {
  it.each<[string, PriceInterval[], Expected[], LeftOutReason[], Record<string, PriceOverride>?]>([
    ['InvokeLLM really costs 2 (3 intervals, 8 calls)', [iv(6, { [LLM]: 3 }), iv(4, { [LLM]: 2 }), iv(6, { [LLM]: 3 })],
      [{ action: LLM, proposed: 2, calls: 8, intervals: 3, confidence: 'medium' }], []],
    ['spend with no observed calls is unobserved (live users), not a price signal', [iv(40, {}), iv(25, {}), iv(3, {})], [],
      ['no-estimated-calls', 'no-estimated-calls', 'no-estimated-calls']],
    ['unobserved-only intervals beside correctly priced calls change nothing', [iv(5, { [LLM]: 5 }), iv(40, {}), iv(6, { [LLM]: 6 })], [],
      ['no-estimated-calls']],
    ['an interval with unobserved spend beside the calls is left out, the price is right', [iv(5, { [LLM]: 5 }), iv(45, { [LLM]: 5 }), iv(6, { [LLM]: 6 })], [],
      ['unexplained-spend']],
    ['price 2 learned around an interval with unobserved spend', [iv(10, { [LLM]: 5 }), iv(60, { [LLM]: 5 }), iv(12, { [LLM]: 6 })],
      [{ action: LLM, proposed: 2, calls: 11, intervals: 2, confidence: 'medium' }], ['unexplained-spend']],
    ['estimated too high: GenerateImage costs half a credit', [iv(5, { [IMAGE]: 10 }), iv(2.5, { [IMAGE]: 5 })],
      [{ action: IMAGE, proposed: 0.5, calls: 15, intervals: 2, confidence: 'medium' }], []],
    ['exact charges (connectors) are taken off first', [iv(26, { [LLM]: 5 }, 16), iv(14, { [LLM]: 3 }, 8)],
      [{ action: LLM, proposed: 2, calls: 8, intervals: 2, confidence: 'medium' }], []],
    ['two actions separated by least squares (InvokeLLM 2, SendEmail right at 1)', [iv(10, { [LLM]: 4, [EMAIL]: 2 }), iv(7, { [LLM]: 1, [EMAIL]: 5 }), iv(9, { [LLM]: 3, [EMAIL]: 3 })],
      [{ action: LLM, proposed: 2, calls: 8, intervals: 3, confidence: 'medium' }], []],
    ['three actions (InvokeLLM 2, SendEmail 1, GenerateImage 3)', [iv(8, { [LLM]: 2, [EMAIL]: 1, [IMAGE]: 1 }), iv(5, { [LLM]: 1, [EMAIL]: 3 }), iv(7, { [EMAIL]: 1, [IMAGE]: 2 }), iv(9, { [LLM]: 3, [IMAGE]: 1 })],
      [{ action: LLM, proposed: 2, calls: 6, intervals: 3, confidence: 'low' }, { action: IMAGE, proposed: 3, calls: 4, intervals: 3, confidence: 'low' }], []],
    ['a fourth, rarer action is taken at its table price', [iv(21, { [LLM]: 10, [EMAIL]: 1 }), iv(13, { [LLM]: 5, [EMAIL]: 2, sms: 1 }), iv(12, { [LLM]: 3, [EMAIL]: 4, [IMAGE]: 2 }), iv(9, { [LLM]: 2, [IMAGE]: 3, [EMAIL]: 2 })],
      [{ action: LLM, proposed: 2, calls: 20, intervals: 4, confidence: 'high' }], []],
    ['two actions always called together cannot be told apart: the rarer stays at its price', [iv(9, { [LLM]: 4, [EMAIL]: 1 }), iv(18, { [LLM]: 8, [EMAIL]: 2 })],
      [{ action: LLM, proposed: 2, calls: 12, intervals: 2, confidence: 'medium' }], []],
    ['too little evidence: one interval of 5 calls', [iv(10, { [LLM]: 5 })], [], []],
    ['two intervals of one call each are not enough either', [iv(2, { [LLM]: 1 }), iv(2, { [LLM]: 1 })], [], []],
    ['one interval of 12 calls is enough, with low confidence', [iv(24, { [LLM]: 12 })],
      [{ action: LLM, proposed: 2, calls: 12, intervals: 1, confidence: 'low' }], []],
    ['a small difference (1.2 for 1) is not proposed', [iv(12, { [LLM]: 10 }), iv(12, { [LLM]: 10 })], [], []],
    ['a small relative difference (agent.message 3.5 for 3, 17 %) is not proposed', [iv(35, { 'agent.message': 10 }), iv(35, { 'agent.message': 10 })], [], []],
    ['a stronger agent model (agent.message 9 for 3) is', [iv(90, { 'agent.message': 10 }), iv(45, { 'agent.message': 5 }), iv(27, { 'agent.message': 3 })],
      [{ action: 'agent.message', proposed: 9, calls: 18, intervals: 3, confidence: 'medium' }], []],
    ['rounded to the nearest half credit: 1.6 → 1.5', [iv(16, { [LLM]: 10 }), iv(16, { [LLM]: 10 })],
      [{ action: LLM, proposed: 1.5, calls: 20, intervals: 2, confidence: 'medium' }], []],
    ['noisy intervals lower the confidence', [iv(15, { [LLM]: 10 }), iv(25, { [LLM]: 10 }), iv(19, { [LLM]: 10 })],
      [{ action: LLM, proposed: 2, calls: 30, intervals: 3, confidence: 'medium' }], []],
    ['consistent intervals with many calls: high confidence', [iv(20, { [LLM]: 10 }), iv(20, { [LLM]: 10 }), iv(10, { [LLM]: 5 }), iv(21, { [LLM]: 10 })],
      [{ action: LLM, proposed: 2, calls: 35, intervals: 4, confidence: 'high' }], []],
    ['connectors (exact prices) are never learned', [iv(30, { 'connector:googlemaps': 10 }), iv(30, { 'connector:googlemaps': 10 })], [],
      ['only-fixed-actions', 'only-fixed-actions']],
    ['exact charges above actual use say nothing about estimates', [iv(5, { [LLM]: 3 }, 8)], [], ['exact-exceeds-actual']],
    ['calls that cost nothing are never proposed at 0', [iv(0, { 'Core.UploadFile': 6 }), iv(0, { 'Core.UploadFile': 6 })], [], []],
    ['an undocumented custom integration priced 0 that costs 1', [iv(5, { 'custom:crm/sync': 5 }), iv(3, { 'custom:crm/sync': 3 })],
      [{ action: 'custom:crm/sync', proposed: 1, calls: 8, intervals: 2, confidence: 'medium' }], []],
    ['once the override is accepted, the same evidence proposes nothing', [iv(6, { [LLM]: 3 }), iv(4, { [LLM]: 2 }), iv(6, { [LLM]: 3 })], [], [],
      { [LLM]: { credits: 2, note: 'learned' } }],
    ['an override that was wrong is corrected back', [iv(6, { [LLM]: 6 }), iv(4, { [LLM]: 4 })],
      [{ action: LLM, proposed: 1, calls: 10, intervals: 2, confidence: 'medium' }], [], { [LLM]: { credits: 2 } }],
  ])('%s', (_what, intervals, expected, leftOut, overrides) => {
    const r = learnPrices(intervals, overrides);
    expect(r.proposals.map(({ action, proposed, calls, intervals: k, confidence }) => ({ action, proposed, calls, intervals: k, confidence }))).toEqual(expected);
    expect(r.leftOut.map((l) => l.why)).toEqual(leftOut);
  });

  it('says what it saw, and how much spend it took as unobserved', () => {
    const r = learnPrices([iv(10, { [LLM]: 5 }), iv(60, { [LLM]: 5 }), iv(12, { [LLM]: 6 }), iv(30, {})]);
    expect(r.proposals[0]).toMatchObject({ current: 1, reason: '11 calls over 2 intervals between exact readings cost about 2 credits each, not 1; 1 interval with unobserved spend left out' });
    expect(r.leftOut.map((l) => [l.why, l.unobserved])).toEqual([['no-estimated-calls', 30], ['unexplained-spend', 50]]);
    expect(r.estimates).toEqual([{ action: LLM, current: 1, estimate: 2, calls: 11, intervals: 2, spread: 0 }]);
  });

  it.each([[1.24, 1], [1.25, 1.5], [1.74, 1.5], [1.75, 2], [0.2, 0], [-1, 0]])('toHalfCredit(%s) = %s', (x, y) => expect(toHalfCredit(x)).toBe(y));
});

describe('stillDismissed', () => {
  const p: PriceProposal = { action: LLM, current: 1, proposed: 2, calls: 15, intervals: 3, confidence: 'medium', reason: '' };
  const d: PriceDismissal = { proposed: 2, current: 1, calls: 8, at: '2026-11-10T12:00:00Z', memberId: 'lead' };
  it.each<[string, PriceProposal, PriceDismissal | undefined, boolean]>([
    ['never dismissed', p, undefined, false],
    ['same figure, a little more evidence', p, d, true],
    ['another figure', { ...p, proposed: 2.5 }, d, false],
    ['the price changed since', { ...p, current: 1.5 }, d, false],
    ['twice the calls', { ...p, calls: 16 }, d, false],
  ])('%s → %s', (_what, proposal, dismissal, hidden) => expect(stillDismissed(proposal, dismissal)).toBe(hidden));
});

describe('reconcileDetailed', () => {
  it('splits observed use into exact credits and estimated calls per action (what an interval keeps)', () => {
    const events = [
      ev('2026-03-06T00:00:00Z', 60),
      ev('2026-03-07T00:00:00Z', 1, { exact: false }),
      ev('2026-03-07T01:00:00Z', 1, { exact: false }),
      ev('2026-03-08T00:00:00Z', 1, { exact: false, action: EMAIL }),
      ev('2026-03-09T00:00:00Z', 20, { action: 'unobserved' }),
      ev('2026-03-11T00:00:00Z', 1, { exact: false }), // after the interval
    ];
    const d = reconcileDetailed(reading('2026-03-05T00:00:00Z', 1000), reading('2026-03-10T00:00:00Z', 900), events, [], '2026-01-01T00:00:00Z');
    expect(d).toStrictEqual({
      reconciliation: { actual: 100, observed: 63, unobserved: 37, overcounted: 0 },
      exactCredits: 60,
      estimated: { [LLM]: { calls: 2, credits: 2 }, [EMAIL]: { calls: 1, credits: 1 } },
    });
  });
});
