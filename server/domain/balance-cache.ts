// Balances, kept warm. A full computeBalances walks every stored event (about half a second at a million), and
// balances are wanted after every ingest (live frames, alert evaluation). So the last full result is kept per
// workspace and events that arrived since are applied to it as a delta: used, remaining, the daily allowance,
// exactness. Anything a delta cannot express — a settings, grant, reading or app change (the store's version),
// a cycle or day boundary, a future-dated event — or age (40× the cost of the last full computation, at least
// 1 s, so forecasts stay fresh) brings a full computation. test/server/balance-cache.test.ts checks delta
// against full computation.
import { computeBalances, poolRouter, roundCredits, type PoolRouter } from '../../shared/ledger';
import type { PoolBalance } from '../../shared/schemas/balance';
import type { StoredUsageEvent } from '../../shared/schemas/events';
import type { WorkspaceRecord } from '../store/records';
import type { DomainDeps } from './deps';
import { ledgerInput } from './ledger-view';

/** A pool's bounds as canonical ISO strings: stored events' `at` compare with them as strings, no parsing. */
interface Bounds {
  cycleStart: string;
  readingAt?: string;
  dayStart?: string;
}

interface Warm {
  bounds: Bounds[];
  /** kind → holder → pool index, so a delta needs no key strings. */
  index: Record<string, Map<string, number>>;
  version: number;
  list: StoredUsageEvent[];
  len: number;
  computedAt: number;
  validUntil: number;
  pools: PoolBalance[];
  /** Monthly remaining before the daily cap, per pool index (Free plan message pools). */
  monthly: number[];
  router: PoolRouter;
  seat: boolean;
}

const warm = new WeakMap<WorkspaceRecord, Warm>();

export function currentBalances(deps: DomainDeps, wsId: string, ws: WorkspaceRecord): PoolBalance[] {
  const now = deps.now();
  const log = deps.store.eventLog(wsId);
  let w = warm.get(ws);
  if (!w || w.version !== deps.store.version || w.list !== log.list || now >= w.validUntil || now < w.computedAt) {
    w = full(deps, wsId, ws, now);
    warm.set(ws, w);
    return w.pools;
  }
  const nowIso = new Date(now).toISOString();
  for (let i = w.len; i < log.list.length; i++) {
    if (!applyDelta(w, log.list[i], nowIso)) {
      w = full(deps, wsId, ws, now);
      warm.set(ws, w);
      return w.pools;
    }
  }
  w.len = log.list.length;
  return w.pools;
}

function full(deps: DomainDeps, wsId: string, ws: WorkspaceRecord, now: number): Warm {
  const t0 = performance.now();
  const input = ledgerInput(deps, wsId, now);
  const pools = computeBalances(input);
  const cost = performance.now() - t0;
  const ends = pools.flatMap((p) => [Date.parse(p.cycle.end), ...(p.daily ? [Date.parse(p.daily.resetAt)] : [])]);
  const index: Record<string, Map<string, number>> = { message: new Map(), integration: new Map() };
  pools.forEach((p, i) => index[p.kind].set(p.holder, i));
  const bounds = pools.map((p) => ({
    cycleStart: p.cycle.start,
    ...(p.readingAt ? { readingAt: p.readingAt } : {}),
    ...(p.daily ? { dayStart: new Date(Date.parse(p.daily.resetAt) - 86_400_000).toISOString() } : {}),
  }));
  return {
    bounds,
    index,
    version: deps.store.version,
    list: input.events,
    len: input.events.length,
    computedAt: now,
    validUntil: Math.min(now + Math.max(1000, 40 * cost), ...ends),
    pools,
    // Before the daily cap, what is left this month is limit − used, with or without a reading.
    monthly: pools.map((p) => Math.max(0, roundCredits(p.limit - p.used))),
    router: poolRouter(input.workspace, input.apps),
    seat: input.workspace.billingModel === 'seat',
  };
}

/**
 * Applies one newly stored event; false when only a full computation can account for it. This runs once for
 * every event ingested, so it compares canonical ISO strings rather than parsing times.
 */
function applyDelta(w: Warm, e: StoredUsageEvent, nowIso: string): boolean {
  if (e.at > nowIso) {
    // Dated ahead (a fast device clock): it counts once its time comes, so the warm figures expire then.
    w.validUntil = Math.min(w.validUntil, Date.parse(e.at));
    return true;
  }
  const pools = w.index[e.kind];
  const own = pools.get(w.router.holderForEvent(e));
  if (own === undefined) return false; // a pool that does not exist yet (e.g. a new member's)
  apply(w, own, e);
  // Pool model: a member's message events also count against that member's cap pool.
  if (!w.seat && e.kind === 'message' && e.memberId) {
    const cap = pools.get(`member:${e.memberId}`);
    if (cap !== undefined) apply(w, cap, e);
  }
  return true;
}

function apply(w: Warm, i: number, e: StoredUsageEvent): void {
  const b = w.bounds[i];
  const p = w.pools[i];
  // The daily allowance counts everything since 00:00, whatever the cycle or the last reading say.
  if (p.daily && b.dayStart !== undefined && e.at >= b.dayStart) {
    p.daily.used = roundCredits(p.daily.used + e.credits);
    p.daily.remaining = Math.max(0, roundCredits(p.daily.limit - p.daily.used));
    p.remaining = Math.min(w.monthly[i], p.daily.remaining);
  }
  if (e.at < b.cycleStart) return;
  if (b.readingAt !== undefined && e.at <= b.readingAt) return; // already inside that reading
  if (!e.exact) p.exact = false;
  p.used = roundCredits(p.used + e.credits);
  if (p.daily) {
    w.monthly[i] = Math.max(0, roundCredits(w.monthly[i] - e.credits));
    p.remaining = Math.min(w.monthly[i], p.daily.remaining);
  } else {
    p.remaining = Math.max(0, roundCredits(p.remaining - e.credits));
  }
  // Plan credits go first: grants only start to shrink once what is left is no more than they hold.
  if (p.grants) p.grants.remaining = Math.min(p.grants.remaining, p.daily ? w.monthly[i] : p.remaining);
}
