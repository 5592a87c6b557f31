// Price learning: what reconciled intervals (two exact readings of the integration pool and the events observed
// between them) say each *estimated* action really costs, and when that differs enough from the price table to
// propose a correction to leads. Pure: the caller passes the intervals and the table's overrides.
//
// The rule, per interval: residual = actual use − exact observed credits (connectors' credits_charged, free
// calls) is what the estimated calls plus any unobserved spend cost. Across intervals, least squares over the
// estimated calls per action (the three most-called learnable actions are unknowns; rarer ones are taken at
// their table price) gives each action's unit cost. Unobserved spend cannot be told from a price error inside
// one interval, so the fit relies on what each leaves behind:
//   - an interval with no estimated calls is never a price signal: spend there is unobserved (live users,
//     backends) and stays what reconcile() recorded;
//   - unobserved spend does not grow with the team's calls, so an interval whose spend is well above what the
//     fitted prices explain (more than max(1 credit, 50 %)) is taken as one with unobserved spend and left out,
//     one at a time, refitting after each (the fit then follows the intervals the observed calls explain);
//   - an interval where exact charges alone exceed actual use says nothing about estimates and is left out.
// A proposal needs evidence (≥ 2 intervals and ≥ 4 calls, or ≥ 10 calls) and a real difference (≥ 25 % and
// ≥ 0.25 credits from the current price), and is rounded to the nearest half credit: Base44 prices integration
// calls in whole credits (half credits appear in message prompts), so a finer figure would only present
// timing noise at the interval boundaries as precision. Actions priced exactly (connectors) are never learned,
// and no proposal is 0.
import { roundCredits } from './credits';
import { priceFor, type PriceOverride } from './prices';

export interface ActionTally {
  calls: number;
  /** What the calls were estimated at when they arrived (for display: what the estimates explained). */
  credits: number;
}

/** One reconciled interval of the integration pool. */
export interface PriceInterval {
  /** The closing reading's id. */
  id: string;
  from: string;
  to: string;
  holder: string;
  /** Exact use between the readings (remaining before − after + grants bought). */
  actual: number;
  /** Credits of exact observed events (known charges, free or failed calls). */
  exactCredits: number;
  /** Estimated observed events by action. */
  estimated: Record<string, ActionTally>;
}

export type LeftOutReason = 'no-estimated-calls' | 'exact-exceeds-actual' | 'unexplained-spend' | 'only-fixed-actions';

export interface LeftOut {
  id: string;
  why: LeftOutReason;
  /** Credits no observed call explains: unobserved spend (live users, backends), not a price signal. */
  unobserved?: number;
}

export type Confidence = 'low' | 'medium' | 'high';

export interface ActionEstimate {
  action: string;
  current: number;
  /** The fitted unit cost before rounding. */
  estimate: number;
  calls: number;
  intervals: number;
  /** How far the per-interval unit costs stray from the estimate (weighted RMS, relative). */
  spread: number;
}

export interface PriceProposal {
  action: string;
  current: number;
  proposed: number;
  calls: number;
  intervals: number;
  confidence: Confidence;
  reason: string;
}

export interface PriceLearning {
  proposals: PriceProposal[];
  /** Every action the fit could price, proposed or not. */
  estimates: ActionEstimate[];
  leftOut: LeftOut[];
}

export const LEARNING = {
  maxUnknowns: 3,
  minIntervals: 2,
  minCallsWithIntervals: 4,
  minCalls: 10,
  minRelative: 0.25,
  minAbsolute: 0.25,
  /** An interval's excess over the fit that marks unobserved spend: max(absolute, relative × fitted). */
  excessAbsolute: 1,
  excessRelative: 0.5,
} as const;

/** Rounds to the nearest half credit. */
export const toHalfCredit = (x: number): number => Math.max(0, Math.round(x * 2) / 2);

/** Connectors report their charge: their estimates (before a reply) are placeholders, not prices to learn. */
export const isLearnable = (action: string): boolean => action !== 'unobserved' && priceFor(action).certainty !== 'exact';

interface Row {
  id: string;
  residual: number;
  counts: Record<string, number>;
}

export function learnPrices(intervals: PriceInterval[], overrides: Record<string, PriceOverride | null> = {}): PriceLearning {
  const current = (a: string) => priceFor(a, overrides).credits;
  const leftOut: LeftOut[] = [];
  let rows: Row[] = [];
  for (const iv of intervals) {
    const residual = roundCredits(iv.actual - iv.exactCredits);
    const counts: Record<string, number> = {};
    for (const [a, t] of Object.entries(iv.estimated)) if (t.calls > 0) counts[a] = t.calls;
    if (Object.keys(counts).length === 0) leftOut.push({ id: iv.id, why: 'no-estimated-calls', ...(residual > 0 ? { unobserved: residual } : {}) });
    else if (residual < 0) leftOut.push({ id: iv.id, why: 'exact-exceeds-actual' });
    else rows.push({ id: iv.id, residual, counts });
  }

  const totals = new Map<string, number>();
  for (const r of rows) for (const [a, n] of Object.entries(r.counts)) if (isLearnable(a)) totals.set(a, (totals.get(a) ?? 0) + n);
  let unknowns = [...totals.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, LEARNING.maxUnknowns).map(([a]) => a);

  const inFit = (r: Row) => unknowns.some((a) => r.counts[a] > 0);
  for (const r of rows) if (!inFit(r)) leftOut.push({ id: r.id, why: 'only-fixed-actions' });
  rows = rows.filter(inFit);

  let fit = solve(rows, unknowns, current);
  const trimmed: Row[] = [];
  // Leave out, one at a time, the interval the fit explains least when its spend is clearly above the fit.
  for (;;) {
    if (!fit || rows.length < 2) break;
    let worst: { i: number; excess: number } | undefined;
    rows.forEach((r, i) => {
      const fitted = fittedSpend(r, fit!.prices, current);
      const excess = r.residual - fitted;
      if (excess > Math.max(LEARNING.excessAbsolute, LEARNING.excessRelative * fitted) && (!worst || excess > worst.excess)) worst = { i, excess };
    });
    if (!worst) break;
    trimmed.push(rows[worst.i]);
    rows = rows.filter((_, i) => i !== worst!.i);
    fit = solve(rows, unknowns, current);
  }
  unknowns = fit ? fit.unknowns : [];
  // What the final prices leave unexplained in each interval left out: the unobserved spend it held.
  for (const r of trimmed) leftOut.push({ id: r.id, why: 'unexplained-spend', unobserved: roundCredits(r.residual - fittedSpend(r, fit?.prices ?? {}, current)) });

  const estimates: ActionEstimate[] = [];
  const proposals: PriceProposal[] = [];
  for (const action of unknowns) {
    const estimate = fit!.prices[action];
    const mine = rows.filter((r) => r.counts[action] > 0);
    const calls = mine.reduce((s, r) => s + r.counts[action], 0);
    const spread = spreadOf(mine, action, fit!.prices, current);
    const cur = current(action);
    estimates.push({ action, current: cur, estimate: roundCredits(estimate), calls, intervals: mine.length, spread: roundCredits(spread, 3) });
    const enough = (mine.length >= LEARNING.minIntervals && calls >= LEARNING.minCallsWithIntervals) || calls >= LEARNING.minCalls;
    const diff = Math.abs(estimate - cur);
    const differs = diff >= LEARNING.minAbsolute && (cur === 0 || diff / cur >= LEARNING.minRelative);
    const proposed = toHalfCredit(estimate);
    // Never 0: it would silence the estimate altogether, and a page reading that did not refresh looks the same.
    if (!enough || !differs || proposed === cur || proposed === 0) continue;
    const left = leftOut.filter((l) => l.why === 'unexplained-spend').length;
    proposals.push({
      action, current: cur, proposed, calls, intervals: mine.length,
      confidence: confidenceOf(mine.length, calls, spread),
      reason: `${plural(calls, 'call')} over ${plural(mine.length, 'interval')} between exact readings cost about ${roundCredits(estimate, 2)} credits each, ` +
        `not ${cur}` + (left ? `; ${plural(left, 'interval')} with unobserved spend left out` : ''),
    });
  }
  proposals.sort((a, b) => b.calls - a.calls || (a.action < b.action ? -1 : 1));
  return { proposals, estimates, leftOut };
}

function confidenceOf(intervals: number, calls: number, spread: number): Confidence {
  if (intervals >= 3 && calls >= 20 && spread <= 0.15) return 'high';
  if (intervals >= 2 && calls >= 8 && spread <= 0.3) return 'medium';
  return 'low';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function fittedSpend(r: Row, prices: Record<string, number>, current: (a: string) => number): number {
  let s = 0;
  for (const [a, n] of Object.entries(r.counts)) s += n * (Object.hasOwn(prices, a) ? prices[a] : current(a));
  return s;
}

/** Weighted RMS of the per-interval unit costs around the estimate, relative to it (at least half a credit). */
function spreadOf(rows: Row[], action: string, prices: Record<string, number>, current: (a: string) => number): number {
  let w = 0;
  let sq = 0;
  for (const r of rows) {
    const n = r.counts[action];
    const unit = (r.residual - (fittedSpend(r, prices, current) - n * prices[action])) / n;
    w += n;
    sq += n * (unit - prices[action]) ** 2;
  }
  return w ? Math.sqrt(sq / w) / Math.max(prices[action], 0.5) : 0;
}

/**
 * Least squares for the unknowns' unit costs, the other actions at their table price. An unknown that cannot be
 * separated (collinear with another, or fitted below zero) is moved to its table price and the rest refitted.
 */
function solve(rows: Row[], unknowns: string[], current: (a: string) => number): { prices: Record<string, number>; unknowns: string[] } | null {
  // Unknowns without calls in these rows (their intervals were left out) are not fitted; the rest, most called first.
  const calls = (a: string) => rows.reduce((s, r) => s + (r.counts[a] ?? 0), 0);
  let u = unknowns.filter((a) => calls(a) > 0).sort((a, b) => calls(b) - calls(a));
  while (u.length && rows.length) {
    const k = u.length;
    const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
    for (const r of rows) {
      const fixed = Object.entries(r.counts).reduce((s, [a, n]) => s + (u.includes(a) ? 0 : n * current(a)), 0);
      const y = r.residual - fixed;
      const x = u.map((a) => r.counts[a] ?? 0);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) A[i][j] += x[i] * x[j];
        A[i][k] += x[i] * y;
      }
    }
    const sol = gauss(A);
    if (!sol) {
      u = u.slice(0, -1); // the least-called unknown goes back to its table price
      continue;
    }
    const neg = sol.findIndex((v) => v < -1e-9);
    if (neg >= 0) {
      u = u.filter((_, i) => i !== neg);
      continue;
    }
    return { prices: Object.fromEntries(u.map((a, i) => [a, Math.max(0, sol[i])])), unknowns: u };
  }
  return null;
}

/** Solves the k×(k+1) augmented system in place; null when it is singular. */
function gauss(A: number[][]): number[] | null {
  const k = A.length;
  const scale = Math.max(1, ...A.map((row) => Math.max(...row.slice(0, k).map(Math.abs))));
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    if (Math.abs(A[p][c]) < 1e-9 * scale) return null;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  return A.map((row, i) => row[k] / row[i]);
}

export interface PriceDismissal {
  proposed: number;
  current: number;
  calls: number;
  at: string;
  memberId: string;
}

/** A dismissed proposal stays hidden until the evidence changes materially: another figure, a changed price, or twice the calls. */
export function stillDismissed(p: PriceProposal, d: PriceDismissal | undefined): boolean {
  return !!d && d.proposed === p.proposed && d.current === p.current && p.calls < 2 * d.calls;
}
