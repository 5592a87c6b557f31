// The toolbar badge: remaining credits of the pool that matters for the current tab, compact and coloured.
// The server's balance is the base; calls observed but not yet reflected in it (still in the outbox, or
// acknowledged after that balance was computed) are subtracted at once, so the badge moves on the click and
// the server's next frame corrects it. Pure functions here; background/index.ts applies the result.
import { contextOf } from '../../shared/base44/classify';
import { compactCredits, LEVEL_COLOURS, levelOf } from '../../shared/format';
import type { PoolKind } from '../../shared/schemas/common';
import type { PoolBalance } from '../../shared/schemas/balance';
import type { OutboxSummary } from '../utils/outbox-store';
import type { Delivery, KnownBalance } from '../utils/storage';

/** Building in the editor spends message credits; an app (preview, published, local) spends integration credits. */
export function kindForTab(tabUrl: string | undefined): PoolKind {
  return tabUrl && contextOf(tabUrl) === 'editor' ? 'message' : 'integration';
}

/** The workspace pool; in the seat model, the member's own message pool or the first integration pool. */
export function poolFor(pools: PoolBalance[], kind: PoolKind, memberId?: string): PoolBalance | undefined {
  const ofKind = pools.filter((p) => p.kind === kind);
  return ofKind.find((p) => p.holder === 'workspace') ?? ofKind.find((p) => p.holder === `member:${memberId}`) ?? ofKind[0];
}

/** Credits observed locally that the known balance does not include yet. */
export function pendingCredits(kind: PoolKind, outbox: Pick<OutboxSummary, 'credits'>, delivery: Delivery, balance: KnownBalance | null): number {
  const since = balance?.receivedAt ?? 0;
  let sum = outbox.credits[kind];
  for (const a of delivery.acked) if (a.kind === kind && a.at >= since) sum += a.credits;
  return Math.round(sum * 100) / 100;
}

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export function badgeFor(input: {
  balance: KnownBalance | null;
  outbox: Pick<OutboxSummary, 'credits'>;
  delivery: Delivery;
  tabUrl?: string;
  memberId?: string;
  paired: boolean;
  outOfCredits: boolean;
}): Badge {
  if (!input.paired) return { text: '', color: LEVEL_COLOURS.unknown, title: 'Creditwatch: not paired — open the options to pair' };
  const kind = kindForTab(input.tabUrl);
  const pool = input.balance && poolFor(input.balance.pools, kind, input.memberId);
  if (kind === 'integration' && input.outOfCredits) return { text: '0', color: LEVEL_COLOURS.critical, title: 'Creditwatch: out of integration credits — apps are failing' };
  if (!pool) return { text: '?', color: LEVEL_COLOURS.unknown, title: 'Creditwatch: no balance yet' };
  const remaining = Math.max(0, pool.remaining - pendingCredits(kind, input.outbox, input.delivery, input.balance));
  const level = levelOf(remaining, pool.limit);
  const est = pool.exact ? '' : ' (estimate)';
  return {
    text: compactCredits(remaining),
    color: LEVEL_COLOURS[level],
    title: `Creditwatch: ${Math.floor(remaining * 10) / 10} of ${pool.limit} ${kind} credits left${est}`,
  };
}

/**
 * A 402 said the integration pool was empty. That stops being true when a new cycle starts, or when a reading
 * taken after the 402 shows credits again (a top-up, an upgrade): then the flag goes.
 */
export function outOfCreditsOver(ooc: { at: string } | null, pools: PoolBalance[]): boolean {
  if (!ooc) return false;
  const since = Date.parse(ooc.at);
  return pools.some((p) => p.kind === 'integration' && (Date.parse(p.cycle.start) > since || (p.exact && p.readingAt !== undefined && Date.parse(p.readingAt) > since && p.remaining > 0)));
}
