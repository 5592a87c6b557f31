// Reconciliation of two exact readings of one pool: how much was really spent between them (actual), how much
// the extension saw (observed), and the difference — unobserved usage (live users, backends, browsers without
// the extension) or overcounting (estimated prices too high). PRODUCT.md "Where balances come from".
//
// Returns null when the two readings cannot be compared:
//   - either is inexact (a rounded figure cannot tell a few credits apart),
//   - they are of different pools (kind or holder),
//   - next is not after prev, or a time does not parse,
//   - a cycle reset lies between them (the plan allowance came back, so the drop is not usage).
// Grants that expire between the readings are not accounted for: their unused part would count as actual use.
import type { StoredUsageEvent } from '../schemas/events';
import type { Grant } from '../schemas/grants';
import type { Reading } from '../schemas/readings';
import { roundCredits } from './credits';
import type { ActionTally } from './price-learning';
import { cycleAt } from './cycles';
import { poolRouter, WORKSPACE } from './routing';
import { toMs } from './time';
import type { LedgerApp, LedgerWorkspace } from './types';

export interface Reconciliation {
  actual: number;
  observed: number;
  unobserved: number;
  overcounted: number;
}

/**
 * `routing` (the workspace and its apps; `ownerId` when the workspace object lacks it) filters events and grants
 * to the readings' pool exactly as the balance does. Without it, events and grants are filtered by kind only and grants by their holder: pass only the pool's
 * events then (fine for the pool model's "workspace" pools).
 */
export function reconcile(
  prev: Reading,
  next: Reading,
  events: StoredUsageEvent[],
  grants: Grant[],
  anchorIso: string,
  routing?: { workspace: LedgerWorkspace; apps: LedgerApp[]; ownerId?: string },
): Reconciliation | null {
  return reconcileDetailed(prev, next, events, grants, anchorIso, routing)?.reconciliation ?? null;
}

/** What price learning keeps of an interval besides the totals: exact credits, and estimated calls by action. */
export interface ReconciledDetail {
  reconciliation: Reconciliation;
  exactCredits: number;
  estimated: Record<string, ActionTally>;
}

/** reconcile(), with the observed events split into exact credits and estimated calls per action. */
export function reconcileDetailed(
  prev: Reading,
  next: Reading,
  events: StoredUsageEvent[],
  grants: Grant[],
  anchorIso: string,
  routing?: { workspace: LedgerWorkspace; apps: LedgerApp[]; ownerId?: string },
): ReconciledDetail | null {
  const from = toMs(prev.at);
  const to = toMs(next.at);
  const kind = prev.pool;
  const holder = prev.holder ?? WORKSPACE;
  if (!prev.exact || !next.exact) return null;
  if (next.pool !== kind || (next.holder ?? WORKSPACE) !== holder) return null;
  if (!(from < to)) return null;
  if (cycleAt(anchorIso, from).start !== cycleAt(anchorIso, to).start) return null;

  const router = routing && poolRouter({ ...routing.workspace, ownerId: routing.ownerId ?? routing.workspace.ownerId }, routing.apps);
  const grantInPool = (g: Grant) => g.kind === kind && (router ? router.holderForGrant(g) : (g.holder ?? WORKSPACE)) === holder;
  const eventInPool = (e: StoredUsageEvent) => (router ? router.inPool(e, kind, holder) : e.kind === kind);
  const between = (iso: string) => {
    const t = toMs(iso);
    return t > from && t <= to;
  };

  let bought = 0;
  for (const g of grants) if (grantInPool(g) && between(g.purchasedAt)) bought += g.credits;
  let observed = 0;
  let exactCredits = 0;
  const estimated: Record<string, ActionTally> = {};
  // "unobserved" events are earlier reconciliations' remainders: counting them would hide what they explain.
  for (const e of events) {
    if (e.action === 'unobserved' || !eventInPool(e) || !between(e.at)) continue;
    observed += e.credits;
    if (e.exact) exactCredits += e.credits;
    else {
      const t = (estimated[e.action] ??= { calls: 0, credits: 0 });
      t.calls++;
      t.credits = roundCredits(t.credits + e.credits);
    }
  }

  const actual = roundCredits(prev.remaining - next.remaining + bought);
  observed = roundCredits(observed);
  return {
    reconciliation: {
      actual,
      observed,
      unobserved: Math.max(0, roundCredits(actual - observed)),
      overcounted: Math.max(0, roundCredits(observed - actual)),
    },
    exactCredits: roundCredits(exactCredits),
    estimated,
  };
}
