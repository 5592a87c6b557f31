// Listing stored events: filters, newest first, cursor paging; and the same rows as CSV.
import type { EventsQuery } from '../../shared/schemas/queries';
import type { StoredUsageEvent } from '../../shared/schemas/events';
import { invalid } from './errors';
import { workspaceOf, type DomainDeps } from './deps';

type EventFilter = (e: StoredUsageEvent) => boolean;

function matcher(q: EventsQuery): EventFilter {
  const from = q.from ? Date.parse(q.from) : -Infinity;
  const to = q.to ? Date.parse(q.to) : Infinity;
  return (e) => {
    if ((q.kind && e.kind !== q.kind) || (q.appId && e.appId !== q.appId) || (q.memberId && e.memberId !== q.memberId)) return false;
    if ((q.action && e.action !== q.action) || (q.context && e.context !== q.context)) return false;
    const at = Date.parse(e.at);
    return at >= from && at < to;
  };
}

/** (at, id) order; `at` is canonical UTC, so strings compare as times. */
const before = (a: StoredUsageEvent, at: string, id: string) => a.at < at || (a.at === at && a.id < id);

// Events arrive roughly in time order; listing wants them strictly ordered. One sorted copy per event list is
// kept and rebuilt only when the list has grown (compaction replaces the list, which drops the old copy).
const sortedCache = new WeakMap<StoredUsageEvent[], { n: number; asc: StoredUsageEvent[] }>();
function sortedAsc(list: StoredUsageEvent[]): StoredUsageEvent[] {
  const hit = sortedCache.get(list);
  if (hit && hit.n === list.length) return hit.asc;
  const asc = list.slice().sort((a, b) => (before(a, b.at, b.id) ? -1 : before(b, a.at, a.id) ? 1 : 0));
  sortedCache.set(list, { n: list.length, asc });
  return asc;
}

/** Index of the first event at or after (at, id) in ascending order. */
function lowerBound(asc: StoredUsageEvent[], at: string, id: string): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(asc[mid], at, id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every matching event, newest first. */
export function filterEvents(deps: DomainDeps, wsId: string, q: EventsQuery): StoredUsageEvent[] {
  workspaceOf(deps, wsId);
  const asc = sortedAsc(deps.store.eventLog(wsId).list);
  const match = matcher(q);
  const out: StoredUsageEvent[] = [];
  for (let i = asc.length - 1; i >= 0; i--) if (match(asc[i])) out.push(asc[i]);
  return out;
}

const encodeCursor = (e: StoredUsageEvent) => Buffer.from(`${e.at}|${e.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw invalid('cursor is not one this server gave out', [{ path: 'query.cursor', message: 'unknown cursor' }]);
  return { at, id };
}

/** A page, newest first: the cursor is found by binary search, so paging through N events costs O(N), not O(N²). */
export function listEvents(deps: DomainDeps, wsId: string, q: EventsQuery) {
  workspaceOf(deps, wsId);
  const asc = sortedAsc(deps.store.eventLog(wsId).list);
  const match = matcher(q);
  const limit = q.limit ? Number(q.limit) : 100;
  let i = asc.length - 1;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    i = lowerBound(asc, c.at, c.id) - 1;
  }
  const events: StoredUsageEvent[] = [];
  for (; i >= 0 && events.length < limit; i--) if (match(asc[i])) events.push(asc[i]);
  let more = false;
  for (; i >= 0; i--) {
    if (match(asc[i])) {
      more = true;
      break;
    }
  }
  let total = 0;
  for (const e of asc) if (match(e)) total++;
  return { events, nextCursor: more ? encodeCursor(events[events.length - 1]) : null, total };
}

const columns = ['id', 'at', 'receivedAt', 'kind', 'credits', 'exact', 'action', 'appId', 'memberId', 'context', 'outcome', 'flowId'] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  // Spreadsheet formula injection: a leading = + - @ would be evaluated by Excel and friends.
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function eventsCsv(deps: DomainDeps, wsId: string, q: EventsQuery): string {
  const lines = [columns.join(',')];
  for (const e of filterEvents(deps, wsId, q)) lines.push(columns.map((c) => cell(e[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
