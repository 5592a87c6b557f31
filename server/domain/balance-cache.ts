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

interface Warm {
  version: number;
  list: StoredUsageEvent[];
  len: number;
  computedAt: number;
  validUntil: number;
  pools: PoolBalance[];
  /** Monthly remaining before the daily cap, per pool index (Free plan message pools). */
  monthly: number[];
  byKey: Map<string, number>;
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
  for (let i = w.len; i < log.list.length; i++) {
    if (!applyDelta(w, log.list[i], now)) {
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
  const byKey = new Map(pools.map((p, i) => [`${p.kind} ${p.holder}`, i]));
  return {
    version: deps.store.version,
    list: input.events,
    len: input.events.length,
    computedAt: now,
    validUntil: Math.min(now + Math.max(1000, 40 * cost), ...ends),
    pools,
    // Before the daily cap, what is left this month is limit − used, with or without a reading.
    monthly: pools.map((p) => Math.max(0, roundCredits(p.limit - p.used))),
    byKey,
    router: poolRouter(input.workspace, input.apps),
    seat: input.workspace.billingModel === 'seat',
  };
}

/** Applies one newly stored event; false when only a full computation can account for it. */
function applyDelta(w: Warm, e: StoredUsageEvent, now: number): boolean {
  const at = Date.parse(e.at);
  if (at > now) return false;
  const holders = [w.router.holderForEvent(e)];
  // Pool model: a member's message events also count against that member's cap pool.
  if (!w.seat && e.kind === 'message' && e.memberId) holders.push(`member:${e.memberId}`);
  for (const holder of holders) {
    const i = w.byKey.get(`${e.kind} ${holder}`);
    if (i === undefined) {
      if (holder === holders[0]) return false; // a pool that does not exist yet (e.g. a new member's)
      continue;
    }
    const p = w.pools[i];
    if (at < Date.parse(p.cycle.start)) continue;
    if (p.readingAt && at <= Date.parse(p.readingAt)) continue; // already inside that reading
    if (!e.exact) p.exact = false;
    p.used = roundCredits(p.used + e.credits);
    if (p.daily) {
      if (at >= Date.parse(p.daily.resetAt) - 86_400_000) {
        p.daily.used = roundCredits(p.daily.used + e.credits);
        p.daily.remaining = Math.max(0, roundCredits(p.daily.limit - p.daily.used));
      }
      w.monthly[i] = Math.max(0, roundCredits(w.monthly[i] - e.credits));
      p.remaining = Math.min(w.monthly[i], p.daily.remaining);
    } else {
      p.remaining = Math.max(0, roundCredits(p.remaining - e.credits));
    }
    // Plan credits go first: grants only start to shrink once what is left is no more than they hold.
    if (p.grants) p.grants.remaining = Math.min(p.grants.remaining, p.daily ? w.monthly[i] : p.remaining);
  }
  return true;
}
