// Billing cycles. Paid plans reset monthly at the exact UTC instant of purchase (the anchor): same day of month
// and time of day. When a month has no such day (anchor on the 29th–31st) the cycle starts on that month's last
// day at the anchor's time, and goes back to the anchor's day in months that have it. Every boundary is computed
// from the anchor itself, never from the previous cycle, so the day never drifts (31 → 28 → 31, not 31 → 28 → 28).
//
// The Free plan's daily message allowance resets at 00:00 UTC. Base44 does not document the daily reset
// instant; UTC midnight is the choice that needs no per-user time zone and matches how its monthly resets are
// defined (in UTC). If Base44 turns out to reset at another hour, only dayWindow changes.
import { DAY_MS, toMs } from './time';

export interface Window {
  /** Inclusive, epoch ms. */
  start: number;
  /** Exclusive, epoch ms. */
  end: number;
}

interface Anchor {
  year: number;
  month: number;
  day: number;
  /** Milliseconds after 00:00 UTC of the anchor's day. */
  timeOfDay: number;
}

function parseAnchor(anchorIso: string): Anchor {
  const t = toMs(anchorIso);
  if (!Number.isFinite(t)) throw new RangeError(`cycle anchor is not a date: ${anchorIso}`);
  const d = new Date(t);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  return { year, month, day, timeOfDay: t - Date.UTC(year, month, day) };
}

/** Start of the cycle `k` months after the anchor's (k may be negative). Date.UTC normalises month overflow. */
function startOf(a: Anchor, k: number): number {
  const lastDay = new Date(Date.UTC(a.year, a.month + k + 1, 0)).getUTCDate();
  return Date.UTC(a.year, a.month + k, Math.min(a.day, lastDay)) + a.timeOfDay;
}

/** Index (months after the anchor's cycle) of the cycle containing `t`. */
function indexAt(a: Anchor, t: number): number {
  const d = new Date(t);
  let k = (d.getUTCFullYear() - a.year) * 12 + (d.getUTCMonth() - a.month);
  // The month difference is off by at most one (before or after this month's reset instant).
  while (startOf(a, k) > t) k--;
  while (startOf(a, k + 1) <= t) k++;
  return k;
}

/** The cycle containing `now`: start ≤ now < end. A reset instant belongs to the cycle it starts. */
export function cycleAt(anchorIso: string, now: number): Window {
  const a = parseAnchor(anchorIso);
  const k = indexAt(a, now);
  return { start: startOf(a, k), end: startOf(a, k + 1) };
}

/** Every cycle overlapping the closed range [from, to], oldest first (empty when from > to). */
export function cyclesBetween(anchorIso: string, from: number, to: number): Window[] {
  if (!(from <= to)) return [];
  const a = parseAnchor(anchorIso);
  const out: Window[] = [];
  for (let k = indexAt(a, from); startOf(a, k) <= to; k++) out.push({ start: startOf(a, k), end: startOf(a, k + 1) });
  return out;
}

/** The UTC day containing `now` (the Free plan's daily message window). */
export function dayWindow(now: number): Window {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  return { start, end: start + DAY_MS };
}
