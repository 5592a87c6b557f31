// Plan allowances (base44-facts.md §1): monthly message / integration credits per plan, and the Free plan's
// daily message allowance. A workspace's `limits` replace the monthly amounts (Elite levels, custom deals).
import type { Plan } from '../schemas/common';
import type { LedgerWorkspace } from './types';

export interface Allowance {
  message: number;
  integration: number;
  /** Free plan only: message credits per UTC day, within the monthly amount. */
  dailyMessage?: number;
}

export const PLAN_ALLOWANCES: Record<Plan, Allowance> = {
  free: { message: 25, integration: 100, dailyMessage: 5 },
  starter: { message: 100, integration: 2000 },
  builder: { message: 250, integration: 10000 },
  pro: { message: 500, integration: 20000 },
  elite: { message: 1200, integration: 50000 },
  // "custom" has no published amounts: it must come with `limits`, and without them the ledger shows 0
  // rather than guessing.
  custom: { message: 0, integration: 0 },
};

export function allowanceFor(ws: Pick<LedgerWorkspace, 'plan' | 'limits'>): Allowance {
  const base = PLAN_ALLOWANCES[ws.plan] ?? PLAN_ALLOWANCES.custom;
  const out: Allowance = ws.limits
    ? { message: ws.limits.message, integration: ws.limits.integration }
    : { message: base.message, integration: base.integration };
  // The daily cap is a property of the Free plan, not of its monthly amount, so custom limits keep it.
  if (base.dailyMessage !== undefined) out.dailyMessage = base.dailyMessage;
  return out;
}
