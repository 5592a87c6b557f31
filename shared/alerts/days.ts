// Calendar days in the workspace's time zone, for daily_anomaly ("today" and the trailing days). Only the few
// day boundaries are computed with Intl; events are then bucketed by comparing their canonical ISO times with
// the boundaries' ISO strings, so no event is formatted in a time zone.
import { iso } from '../ledger/time';

export interface Days {
  /** Today as "YYYY-MM-DD" in the zone. */
  key: string;
  /** Starts of the trailing days and today, oldest first (the last is today's start), epoch ms. */
  starts: number[];
  /** Their ISO strings. */
  startIsos: string[];
  /** Start of tomorrow. */
  end: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Today and the `trailing` days before it, in `timezone`. */
export function zonedDays(now: number, timezone: string, trailing: number): Days {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = (ms: number) => {
    const p: Record<string, number> = {};
    for (const x of fmt.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
    return p;
  };
  // The zone's offset at an instant: its wall clock read as UTC minus the instant (to the second).
  const offset = (ms: number): number => {
    const p = parts(ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
  };
  // Local midnight: guess with the offset at UTC midnight, then correct once with the offset found there (the
  // two differ only when a DST change falls between). Where DST skips midnight itself, this lands on the first
  // hour of the day, which is when that day begins.
  const midnight = (y: number, m: number, d: number): number => {
    const guess = Date.UTC(y, m - 1, d);
    const first = offset(guess);
    const second = offset(guess - first);
    return guess - second;
  };
  const today = parts(now);
  const starts: number[] = [];
  for (let k = trailing; k >= 0; k--) starts.push(midnight(today.year, today.month, today.day - k));
  return {
    key: `${today.year}-${pad(today.month)}-${pad(today.day)}`,
    starts,
    startIsos: starts.map(iso),
    end: midnight(today.year, today.month, today.day + 1),
  };
}

/** Index of the day an ISO time falls in (−1 before the first start). */
export function dayIndex(startIsos: string[], at: string): number {
  let lo = 0;
  let hi = startIsos.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (startIsos[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
