// Readings: balances seen elsewhere. An exact reading becomes the balance's starting point; between two
// exact readings of the same pool, what was spent but not observed is recorded as an `unobserved` event.
import { reconcileDetailed, type PriceInterval, type Reconciliation } from '../../shared/ledger';
import type { ReadingBody, Reading } from '../../shared/schemas/readings';
import type { StoredUsageEvent } from '../../shared/schemas/events';
import { roleRank } from '../../shared/schemas/common';
import type { Auth } from '../http/auth';
import { forbidden, invalid, type FieldError } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

const FUTURE_SLACK_MS = 5 * 60_000;

export async function addReading(deps: DomainDeps, auth: Auth, body: ReadingBody) {
  if (body.source !== 'page' && roleRank[auth.role] < roleRank.lead) {
    throw forbidden(`"${body.source}" readings come from leads and owners; the extension sends "page" readings`);
  }
  return recordReading(deps, auth.wsId, auth.memberId, body);
}

/**
 * Stores a reading attributed to `memberId` and reconciles it with the previous exact one. Every reading goes
 * through here, whoever took it: the routes above and the Monitoring API poller (server/monitoring).
 * Throws `invalid` (nothing stored) for a reading that cannot be right.
 */
export async function recordReading(deps: DomainDeps, wsId: string, memberId: string, body: ReadingBody) {
  const ws = workspaceOf(deps, wsId);
  const now = deps.now();
  const at = Date.parse(body.at);
  const errors: FieldError[] = [];
  if (at > now + FUTURE_SLACK_MS) errors.push({ path: 'body.at', message: 'is in the future: check the sender clock' });
  if (at < now - deps.retentionDays * 86_400_000) errors.push({ path: 'body.at', message: 'is older than the retention period' });
  if (body.limit !== undefined && body.remaining > body.limit) errors.push({ path: 'body.remaining', message: 'is larger than limit' });
  if (body.limit !== undefined && body.used !== undefined && Math.abs(body.limit - body.used - body.remaining) > 0.01) {
    errors.push({ path: 'body.used', message: 'used + remaining must equal limit' });
  }
  const holder = body.holder ?? (ws.settings.billingModel === 'seat' ? `member:${memberId}` : 'workspace');
  if (holder.startsWith('member:') && !Object.hasOwn(ws.members, holder.slice(7))) errors.push({ path: 'body.holder', message: 'names no member of this workspace' });
  if (errors.length) throw invalid('the reading is not valid; nothing was stored', errors);

  const reading: Reading = {
    id: deps.ids.id('rd'),
    pool: body.pool,
    holder,
    remaining: body.remaining,
    ...(body.limit !== undefined ? { limit: body.limit } : {}),
    ...(body.used !== undefined ? { used: body.used } : {}),
    at: iso(at),
    source: body.source,
    exact: body.exact ?? true,
    memberId,
    receivedAt: iso(now),
  };
  const prev = latestExact(ws.readings, reading.pool, holder);
  let reconciliation: Reconciliation | null = null;
  let interval: PriceInterval | undefined;
  let unobserved: StoredUsageEvent | undefined;
  // Only a reading newer than every other one closes an interval: an older one arriving late would overlap
  // an interval already reconciled.
  const detail = prev && reading.exact && Date.parse(prev.at) < at
    ? reconcileDetailed(prev, reading, deps.store.eventLog(wsId).list, ws.grants, ws.settings.cycleAnchor, {
        workspace: ws.settings,
        apps: Object.values(ws.apps),
        ownerId: Object.values(ws.members).find((m) => m.role === 'owner')?.id,
      })
    : null;
  if (detail && prev) {
    reconciliation = detail.reconciliation;
    // Integration intervals teach prices (server/domain/price-proposals.ts); message credits have no price table.
    if (reading.pool === 'integration') {
      interval = { id: reading.id, from: prev.at, to: reading.at, holder, actual: reconciliation.actual, exactCredits: detail.exactCredits, estimated: detail.estimated };
    }
  }
  const waits = [deps.store.commit({ op: 'reading.add', wsId, reading, ...(interval ? { interval } : {}) }).durable];
  if (reconciliation && reconciliation.unobserved > 0) {
    const event: StoredUsageEvent = {
      id: `unobs-${reading.id}`,
      at: reading.at,
      kind: reading.pool,
      credits: reconciliation.unobserved,
      exact: true,
      action: 'unobserved',
      context: 'unknown',
      outcome: 'ok',
      receivedAt: reading.receivedAt,
      ...(holder.startsWith('member:') ? { memberId: holder.slice(7) } : {}),
    };
    waits.push(deps.store.commit({ op: 'events', wsId, events: [event] }).durable);
    unobserved = event;
  }
  await Promise.all(waits);
  if (unobserved) deps.hub.publish(wsId, 'usage', { events: [unobserved] });
  deps.feed.changed(wsId);
  return { reading, reconciliation };
}

function latestExact(readings: Reading[], pool: string, holder: string): Reading | undefined {
  let best: Reading | undefined;
  for (const r of readings) {
    if (r.pool !== pool || r.holder !== holder || !r.exact) continue;
    if (!best || Date.parse(r.at) > Date.parse(best.at)) best = r;
  }
  return best;
}

export function listReadings(deps: DomainDeps, wsId: string) {
  return { readings: [...workspaceOf(deps, wsId).readings].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 500) };
}
