// The usage breakdown (API.md "Usage breakdown"): credits and calls in [from, to), optionally of one kind,
// grouped by app, member, action, context or calendar day in the workspace's time zone.
// `calls` counts every event in range — failed, free and "unobserved" remainders too — so it always equals the
// number of rows the events list would return for the same filter; credits tell what was charged.
import type { PoolKind } from '../schemas/common';
import type { StoredUsageEvent } from '../schemas/events';
import { roundCredits } from './credits';
import { toMs } from './time';

export type UsageGroupBy = 'app' | 'member' | 'action' | 'context' | 'day';

export interface UsageBreakdownQuery {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  kind?: PoolKind;
  /** Only this app's / this member's events (the popup's "this app" view). */
  appId?: string;
  memberId?: string;
  groupBy?: UsageGroupBy;
  /** IANA zone for groupBy "day"; default UTC. */
  timezone?: string;
}

export interface UsageRow {
  key: string;
  credits: number;
  calls: number;
}

export interface UsageBreakdown {
  rows: UsageRow[];
  total: { credits: number; calls: number };
}

/** Key of events that lack the grouped field (no app, no member). */
export const NONE_KEY = '(none)';

/** Formats epoch ms as the calendar day ("YYYY-MM-DD") in a time zone. */
export function dayKeyFormatter(timezone = 'UTC'): (ms: number) => string {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
    return `${p.year}-${p.month}-${p.day}`;
  };
}

function keyOf(groupBy: UsageGroupBy, day: (ms: number) => string): (e: StoredUsageEvent, at: number) => string {
  switch (groupBy) {
    case 'app':
      return (e) => e.appId ?? NONE_KEY;
    case 'member':
      return (e) => e.memberId ?? NONE_KEY;
    case 'action':
      return (e) => e.action;
    case 'context':
      return (e) => e.context;
    case 'day':
      return (_e, at) => day(at);
  }
}

export function usageBreakdown(events: StoredUsageEvent[], q: UsageBreakdownQuery): UsageBreakdown {
  const key = q.groupBy && keyOf(q.groupBy, q.groupBy === 'day' ? dayKeyFormatter(q.timezone) : () => '');
  const groups = new Map<string, { credits: number; calls: number }>();
  let credits = 0;
  let calls = 0;
  for (const e of events) {
    const at = toMs(e.at);
    if (!(at >= q.from && at < q.to) || (q.kind && e.kind !== q.kind)) continue;
    if ((q.appId && e.appId !== q.appId) || (q.memberId && e.memberId !== q.memberId)) continue;
    credits += e.credits;
    calls++;
    if (!key) continue;
    const k = key(e, at);
    const g = groups.get(k);
    if (g) {
      g.credits += e.credits;
      g.calls++;
    } else groups.set(k, { credits: e.credits, calls: 1 });
  }
  const rows = [...groups].map(([k, g]) => ({ key: k, credits: roundCredits(g.credits), calls: g.calls }));
  rows.sort((a, b) => b.credits - a.credits || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows, total: { credits: roundCredits(credits), calls } };
}
