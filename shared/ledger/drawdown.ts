// The drawdown of one pool: which credits each event spends, and what is left in the current cycle.
//
// Order (base44-facts.md §1 "Top-ups"): each event spends
//   1. the cycle's plan allowance (it resets every cycle and never rolls over), then
//   2. bonus grants, soonest expiry first (they are lost soonest), then
//   3. top-ups, earliest purchase first.
// A grant is usable in [purchasedAt, expiresAt); what is left of it carries across cycles until it expires
// and is then lost. Spending beyond everything ("overspend") can only come from estimated prices that were
// too low; it stays counted as used (remaining never goes below 0), which errs on the side of warning early.
//
// Because grant leftovers depend on earlier cycles, the simulation starts at the cycle in which the oldest
// grant still usable at the start of the simulated range was bought (repeated until no older grant reaches in),
// and replays events in time order, cycle by cycle. Past cycles use today's allowance (plan history is not
// kept); that only affects how much of a grant earlier overspending ate.
//
// A reading (a balance seen elsewhere) taken in the current cycle replaces the estimate at its instant: the
// pool is set to hold exactly `reading.remaining`, with grants keeping their simulated leftovers (plan credits
// are spent first, so when the reading is lower than the grants the difference is taken from the grants in
// drawdown order). Events and grants after the reading then apply as usual.
import type { Grant } from '../schemas/grants';
import { clean, roundCredits } from './credits';
import { cycleAt, cyclesBetween, type Window } from './cycles';
import { toMs } from './time';

export interface DrawdownEvent {
  at: number;
  credits: number;
  exact: boolean;
}

export interface DrawdownReading {
  at: number;
  remaining: number;
  limit?: number;
}

export interface DrawdownInput {
  anchorIso: string;
  now: number;
  /** Credits per cycle (plan allowance or member cap). */
  allowance: number;
  /** This pool's grants (any order; ones bought after `now` are ignored). */
  grants: Grant[];
  /** This pool's events (any order; ones after `now` are ignored). */
  events: DrawdownEvent[];
  /** The reading that anchors the current cycle, if any (the caller checks it is in the cycle). */
  reading?: DrawdownReading;
}

export interface DrawdownResult {
  cycle: Window;
  limit: number;
  used: number;
  remaining: number;
  /** Present when a grant was usable at some point of the current cycle. */
  grants?: { remaining: number; nextExpiry?: number };
  /** With a reading: whether every event counted after it has an exact cost. */
  exactAfterReading?: boolean;
}

interface SimGrant {
  id: string;
  bonus: boolean;
  credits: number;
  from: number;
  to: number;
  left: number;
}

const drawOrder = (a: SimGrant, b: SimGrant): number => {
  if (a.bonus !== b.bonus) return a.bonus ? -1 : 1;
  const [a1, b1, a2, b2] = a.bonus ? [a.to, b.to, a.from, b.from] : [a.from, b.from, a.to, b.to];
  return a1 - b1 || a2 - b2 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
};

const sumOf = <T>(xs: T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);

/** Where the replay must begin: a cycle start at which no grant bought earlier is still usable. */
function replayStart(grants: SimGrant[], anchorIso: string, cycleStart: number): number {
  let start = cycleStart;
  for (;;) {
    const reachingIn = grants.filter((g) => g.from < start && g.to > start);
    if (reachingIn.length === 0) return start;
    start = cycleAt(anchorIso, Math.min(...reachingIn.map((g) => g.from))).start;
  }
}

export function drawdown(input: DrawdownInput): DrawdownResult {
  const { anchorIso, now, allowance, reading } = input;
  const cycle = cycleAt(anchorIso, now);
  const grants: SimGrant[] = input.grants
    .map((g) => ({ id: g.id, bonus: g.type === 'bonus', credits: g.credits, from: toMs(g.purchasedAt), to: toMs(g.expiresAt), left: g.credits }))
    .filter((g) => g.credits > 0 && g.from <= now && g.from < g.to)
    .sort(drawOrder);
  const usableAt = (g: SimGrant, t: number): boolean => g.from <= t && t < g.to;

  const simStart = replayStart(grants, anchorIso, cycle.start);
  const events = input.events.filter((e) => e.at >= simStart && e.at <= now).sort((a, b) => a.at - b.at);

  let plan = 0;
  const spend = (t: number, credits: number): void => {
    const fromPlan = Math.min(plan, credits);
    plan = clean(plan - fromPlan);
    let rest = clean(credits - fromPlan);
    for (const g of grants) {
      if (rest <= 0) break;
      if (!usableAt(g, t) || g.left <= 0) continue;
      const take = Math.min(g.left, rest);
      g.left = clean(g.left - take);
      rest = clean(rest - take);
    }
  };
  const rebase = (r: DrawdownReading): void => {
    const active = grants.filter((g) => usableAt(g, r.at));
    let excess = clean(sumOf(active, (g) => g.left) - r.remaining);
    plan = Math.max(0, -excess);
    for (const g of active) {
      if (excess <= 0) break;
      const take = Math.min(g.left, excess);
      g.left = clean(g.left - take);
      excess = clean(excess - take);
    }
  };

  let carriedIn = 0;
  let i = 0;
  for (const c of cyclesBetween(anchorIso, simStart, now)) {
    const current = c.start === cycle.start;
    plan = allowance;
    if (current) carriedIn = sumOf(grants.filter((g) => g.from < c.start && g.to > c.start), (g) => g.left);
    let rebased = !current || !reading;
    for (; i < events.length && events[i].at < c.end; i++) {
      if (!rebased && events[i].at > reading!.at) {
        rebase(reading!);
        rebased = true;
      }
      spend(events[i].at, events[i].credits);
    }
    if (!rebased) rebase(reading!);
  }

  const inCycle = events.filter((e) => e.at >= cycle.start);
  const purchased = sumOf(grants.filter((g) => g.from >= cycle.start), (g) => g.credits);
  // Leftovers of grants that expired this cycle are gone: they leave the limit, or remaining would promise them.
  const expiredUnused = sumOf(grants.filter((g) => g.to > cycle.start && g.to <= now), (g) => g.left);
  const limit = allowance + carriedIn + purchased - expiredUnused;

  const result: DrawdownResult = { cycle, limit: 0, used: 0, remaining: 0 };
  if (reading) {
    const after = inCycle.filter((e) => e.at > reading.at);
    const gainedAfter = sumOf(grants.filter((g) => g.from > reading.at), (g) => g.credits);
    const lostAfter = sumOf(grants.filter((g) => g.to > reading.at && g.to <= now), (g) => g.left);
    const remaining = Math.max(0, roundCredits(reading.remaining - sumOf(after, (e) => e.credits) + gainedAfter - lostAfter));
    // A limit Base44 showed knows nothing of grants bought or lost since. A reading above our limit means our
    // configuration is behind (e.g. an upgrade), and the reading is the better source.
    const base = reading.limit !== undefined ? reading.limit + gainedAfter - lostAfter : limit;
    result.limit = Math.max(roundCredits(base), remaining);
    result.remaining = remaining;
    result.used = roundCredits(result.limit - remaining);
    result.exactAfterReading = after.every((e) => e.exact);
  } else {
    const used = sumOf(inCycle, (e) => e.credits);
    result.limit = roundCredits(limit);
    result.used = roundCredits(used);
    result.remaining = Math.max(0, roundCredits(limit - used));
  }

  if (grants.some((g) => g.to > cycle.start)) {
    const usable = grants.filter((g) => usableAt(g, now) && g.left > 0);
    result.grants = { remaining: roundCredits(sumOf(usable, (g) => g.left)) };
    if (usable.length > 0) result.grants.nextExpiry = Math.min(...usable.map((g) => g.to));
  }
  return result;
}
