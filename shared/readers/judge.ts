// Is a reading believable? A balance seen on a page is trusted only when it fits what is known: it must not
// exceed its limit, and it must not rise since the last reading unless a new cycle began or credits were
// added (a grant, a plan change). A reading that fails is flagged and kept out of the ledger.
import type { PageReading } from './read';

export interface PriorReading {
  remaining: number;
  limit?: number;
  at: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function judgeReading(prev: PriorReading | undefined, next: PageReading, ctx: { cycleStart: number; creditsAddedSince?: (at: number) => boolean }): Verdict {
  if (next.limit !== undefined && next.remaining > next.limit + 0.001) return { ok: false, reason: 'remaining is above the limit' };
  if (!prev || prev.at < ctx.cycleStart) return { ok: true };
  const rose = next.remaining > prev.remaining + 0.001;
  const limitRose = next.limit !== undefined && prev.limit !== undefined && next.limit > prev.limit;
  if (rose && !limitRose && !ctx.creditsAddedSince?.(prev.at)) return { ok: false, reason: 'rose without a reset, a grant or a plan change' };
  return { ok: true };
}

/** The cost of the prompt between two message readings, when they show one (a drop, same limit). */
export function promptCost(prev: PageReading & { at: number }, next: PageReading & { at: number }): { credits: number; exact: boolean } | undefined {
  if (prev.pool !== 'message' || next.pool !== 'message') return undefined;
  if (prev.limit !== undefined && next.limit !== undefined && prev.limit !== next.limit) return undefined;
  const credits = Math.round((prev.remaining - next.remaining) * 1000) / 1000;
  if (!(credits > 0)) return undefined;
  return { credits, exact: prev.exact && next.exact };
}
