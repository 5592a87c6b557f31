// The events one evaluation looks at. Evaluation may run after every ingest of a workspace with 100k events, so
// the full list is walked once per call: stored times are canonical UTC ("YYYY-MM-DDTHH:MM:SS.sssZ"), which
// compare correctly as strings, so the walk parses nothing. Windows are then cut from the kept events (memoised
// per start), cycle totals are summed once per start for every app and member, and a timestamp is parsed only
// where milliseconds are really needed (burst windows), once per event.
import { iso, toMs } from '../ledger/time';
import type { PoolKind } from '../schemas/common';
import type { StoredUsageEvent } from '../schemas/events';

export interface Totals {
  credits: number;
  calls: number;
  /** Events whose cost is an estimate. */
  inexact: number;
}

export interface EventIndex {
  /** Kept events with at in [fromIso, now] (at canonical), in input order. */
  since(fromIso: string): StoredUsageEvent[];
  /** Credits per app and per member (keys from appTotal / memberTotal) of events in [fromIso, now]. */
  totals(fromIso: string): Map<string, Totals>;
  /** Epoch ms of a kept event. */
  ms(e: StoredUsageEvent): number;
}

export const appTotal = (kind: PoolKind, appId: string): string => `a ${kind} ${appId}`;
export const memberTotal = (kind: PoolKind, memberId: string): string => `m ${kind} ${memberId}`;

const Z = 90;
const T = 84;
const canonical = (at: string): boolean => at.length === 24 && at.charCodeAt(23) === Z && at.charCodeAt(10) === T;

/** Keeps the events with at in [fromIso, toIso]; an event in another ISO form is copied with a canonical `at`. */
export function eventIndex(events: StoredUsageEvent[], fromIso: string, toIso: string): EventIndex {
  const kept: StoredUsageEvent[] = [];
  for (const e of events) {
    let at = e.at;
    if (!canonical(at)) {
      // Ingest stores canonical times; this keeps an odd legacy row from being compared as a wrong string.
      const t = toMs(at);
      if (!Number.isFinite(t)) continue;
      at = iso(t);
      if (at >= fromIso && at <= toIso) kept.push({ ...e, at });
    } else if (at >= fromIso && at <= toIso) kept.push(e);
  }

  const windows = new Map<string, StoredUsageEvent[]>();
  const sums = new Map<string, Map<string, Totals>>();
  const times = new Map<StoredUsageEvent, number>();
  const since = (from: string): StoredUsageEvent[] => {
    let list = windows.get(from);
    if (!list) {
      list = from <= fromIso ? kept : kept.filter((e) => e.at >= from);
      windows.set(from, list);
    }
    return list;
  };
  return {
    since,
    totals(from) {
      let m = sums.get(from);
      if (m) return m;
      m = new Map();
      const add = (key: string, e: StoredUsageEvent) => {
        const t = m!.get(key);
        if (t) {
          t.credits += e.credits;
          t.calls++;
          if (!e.exact) t.inexact++;
        } else m!.set(key, { credits: e.credits, calls: 1, inexact: e.exact ? 0 : 1 });
      };
      for (const e of since(from)) {
        if (e.appId !== undefined) add(appTotal(e.kind, e.appId), e);
        if (e.memberId !== undefined) add(memberTotal(e.kind, e.memberId), e);
      }
      sums.set(from, m);
      return m;
    },
    ms(e) {
      let t = times.get(e);
      if (t === undefined) {
        t = Date.parse(e.at);
        times.set(e, t);
      }
      return t;
    },
  };
}
