// Listing stored events: filters, newest first, cursor paging; and the same rows as CSV.
import type { EventsQuery } from '../../shared/schemas/queries';
import type { StoredUsageEvent } from '../../shared/schemas/events';
import { invalid } from './errors';
import { workspaceOf, type DomainDeps } from './deps';

export function filterEvents(deps: DomainDeps, wsId: string, q: EventsQuery): StoredUsageEvent[] {
  workspaceOf(deps, wsId);
  const from = q.from ? Date.parse(q.from) : -Infinity;
  const to = q.to ? Date.parse(q.to) : Infinity;
  const rows = deps.store.eventLog(wsId).list.filter((e) => {
    const at = Date.parse(e.at);
    return at >= from && at < to && (!q.kind || e.kind === q.kind) && (!q.appId || e.appId === q.appId) &&
      (!q.memberId || e.memberId === q.memberId) && (!q.action || e.action === q.action) && (!q.context || e.context === q.context);
  });
  // Newest first; ties broken by id so pages never overlap or skip.
  return rows.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}

const encodeCursor = (e: StoredUsageEvent) => Buffer.from(`${e.at}|${e.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw invalid('cursor is not one this server gave out', [{ path: 'query.cursor', message: 'unknown cursor' }]);
  return { at, id };
}

export function listEvents(deps: DomainDeps, wsId: string, q: EventsQuery) {
  const rows = filterEvents(deps, wsId, q);
  const limit = q.limit ? Number(q.limit) : 100;
  let start = 0;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    start = rows.findIndex((e) => e.at < c.at || (e.at === c.at && e.id < c.id));
    if (start < 0) start = rows.length;
  }
  const page = rows.slice(start, start + limit);
  const more = start + limit < rows.length;
  return { events: page, nextCursor: more ? encodeCursor(page[page.length - 1]) : null, total: rows.length };
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
