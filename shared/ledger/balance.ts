// The balance of every pool (API.md "Balance"): routing → drawdown → reading → daily cap → forecast.
//
// `exact` is true only when the balance starts from an exact reading taken this cycle and every event counted
// since has an exact cost; otherwise the figures are an estimate (allowance + grants − observed usage).
// Readings from earlier cycles are ignored: the reset made them meaningless. An inexact reading (a rounded
// figure such as "1.2k") is used only when there is no exact one, and keeps the balance an estimate.
// Free plan message pools also carry the daily allowance (used = that pool's credits since 00:00 UTC today),
// and their `remaining` is whichever of the monthly and daily remainders is smaller.
import type { PoolBalance } from '../schemas/balance';
import type { PoolKind } from '../schemas/common';
import type { Grant } from '../schemas/grants';
import type { Reading } from '../schemas/readings';
import { roundCredits } from './credits';
import { cycleAt, dayWindow } from './cycles';
import { drawdown, type DrawdownEvent } from './drawdown';
import { forecast } from './forecast';
import { listPools, poolRouter, WORKSPACE } from './routing';
import { iso, toMs } from './time';
import type { LedgerInput } from './types';

export { poolHolderForEvent } from './routing';

const later = (a: Reading, b: Reading): boolean => {
  const d = toMs(a.at) - toMs(b.at) || toMs(a.receivedAt) - toMs(b.receivedAt);
  return d > 0 || (d === 0 && a.id > b.id);
};

/** The reading a pool's balance starts from: the latest exact one in [cycleStart, now], else the latest inexact one. */
export function pickReading(readings: Reading[], kind: PoolKind, holder: string, cycleStart: number, now: number): Reading | undefined {
  let exact: Reading | undefined;
  let rough: Reading | undefined;
  for (const r of readings) {
    const at = toMs(r.at);
    if (r.pool !== kind || (r.holder ?? WORKSPACE) !== holder || !(at >= cycleStart && at <= now)) continue;
    if (r.exact) {
      if (!exact || later(r, exact)) exact = r;
    } else if (!rough || later(r, rough)) rough = r;
  }
  return exact ?? rough;
}

export function computeBalances(input: LedgerInput): PoolBalance[] {
  const { workspace: ws, now } = input;
  const cycle = cycleAt(ws.cycleAnchor, now);
  const router = poolRouter(ws, input.apps);

  // Route every event once: to the pool it draws from and, for message events with a member, to that member's cap.
  const byPool = new Map<string, DrawdownEvent[]>();
  const byMember = new Map<string, DrawdownEvent[]>();
  const current: LedgerInput['events'] = [];
  const push = (m: Map<string, DrawdownEvent[]>, key: string, e: DrawdownEvent) => {
    const list = m.get(key);
    if (list) list.push(e);
    else m.set(key, [e]);
  };
  for (const e of input.events) {
    const at = toMs(e.at);
    if (!(at <= now)) continue; // future or unparsable
    const d: DrawdownEvent = { at, credits: e.credits, exact: e.exact };
    push(byPool, `${e.kind} ${router.holderForEvent(e)}`, d);
    if (e.kind === 'message' && e.memberId) push(byMember, `member:${e.memberId}`, d);
    if (at >= cycle.start) current.push(e);
  }
  const grantsByPool = new Map<string, Grant[]>();
  for (const g of input.grants) {
    const key = `${g.kind} ${router.holderForGrant(g)}`;
    grantsByPool.set(key, [...(grantsByPool.get(key) ?? []), g]);
  }
  const currentGrants = input.grants.filter((g) => toMs(g.purchasedAt) <= now && toMs(g.expiresAt) > cycle.start);

  return listPools(input, router, current, currentGrants).map((pool) => {
    const key = `${pool.kind} ${pool.holder}`;
    const events = (pool.cap ? byMember.get(pool.holder) : byPool.get(key)) ?? [];
    const reading = pickReading(input.readings, pool.kind, pool.holder, cycle.start, now);
    const d = drawdown({
      anchorIso: ws.cycleAnchor,
      now,
      allowance: pool.allowance,
      // A member cap limits what the member may spend of the shared pool; it holds no credits of its own.
      grants: pool.cap ? [] : (grantsByPool.get(key) ?? []),
      events,
      reading: reading && { at: toMs(reading.at), remaining: reading.remaining, limit: reading.limit },
    });

    const out: PoolBalance = {
      kind: pool.kind,
      holder: pool.holder,
      limit: d.limit,
      used: d.used,
      remaining: d.remaining,
      exact: reading?.exact === true && d.exactAfterReading === true,
      cycle: { start: iso(cycle.start), end: iso(cycle.end) },
      forecast: { perDay: 0, beforeReset: false },
    };
    if (reading) out.readingAt = iso(toMs(reading.at));
    if (pool.daily !== undefined) {
      const day = dayWindow(now);
      const usedToday = roundCredits(events.reduce((s, e) => (e.at >= day.start ? s + e.credits : s), 0));
      const remainingToday = Math.max(0, roundCredits(pool.daily - usedToday));
      out.daily = { limit: pool.daily, used: usedToday, remaining: remainingToday, resetAt: iso(day.end) };
      out.remaining = Math.min(out.remaining, remainingToday);
    }
    if (d.grants) {
      out.grants = { remaining: d.grants.remaining };
      if (d.grants.nextExpiry !== undefined) out.grants.nextExpiry = iso(d.grants.nextExpiry);
    }
    out.forecast = forecast({
      events,
      now,
      remaining: out.remaining,
      cycleEnd: cycle.end,
      windowMs: input.forecastWindowMs,
      observedSince: input.observedSince,
    });
    return out;
  });
}
