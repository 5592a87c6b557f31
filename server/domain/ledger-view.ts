// Bridges the store to the pure ledger in shared/: builds a LedgerInput for a workspace and answers the
// balance and usage questions with it.
import { cycleAt, usageBreakdown } from '../../shared/ledger';
import { currentBalances } from './balance-cache';
import type { LedgerInput } from '../../shared/ledger/types';
import type { UsageQuery } from '../../shared/schemas/queries';
import { invalid } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

export function ledgerInput(deps: DomainDeps, wsId: string, now = deps.now()): LedgerInput {
  const ws = workspaceOf(deps, wsId);
  const owner = Object.values(ws.members).find((m) => m.role === 'owner');
  return {
    workspace: { ...ws.settings, ownerId: owner?.id },
    members: Object.values(ws.members).map((m) => ({ id: m.id })),
    apps: Object.values(ws.apps).map((a) => ({ id: a.id, ownerId: a.ownerId })),
    grants: ws.grants,
    events: deps.store.eventLog(wsId).list,
    readings: ws.readings,
    now,
    observedSince: Date.parse(ws.settings.createdAt),
  };
}

export function balance(deps: DomainDeps, wsId: string) {
  return { pools: currentBalances(deps, wsId, workspaceOf(deps, wsId)), at: iso(deps.now()) };
}

export function usage(deps: DomainDeps, wsId: string, q: UsageQuery) {
  const ws = workspaceOf(deps, wsId);
  const cycle = cycleAt(ws.settings.cycleAnchor, deps.now());
  const from = q.from ? Date.parse(q.from) : cycle.start;
  const to = q.to ? Date.parse(q.to) : cycle.end;
  if (to <= from) throw invalid('"to" must be after "from"', [{ path: 'query.to', message: 'must be after from' }]);
  const result = usageBreakdown(deps.store.eventLog(wsId).list, { from, to, kind: q.kind, appId: q.appId, memberId: q.memberId, groupBy: q.groupBy, timezone: ws.settings.timezone });
  return { ...result, from: iso(from), to: iso(to) };
}
