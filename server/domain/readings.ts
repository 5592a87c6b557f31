// Readings: balances seen elsewhere. An exact reading becomes the balance's starting point; between two
// exact readings of the same pool, what was spent but not observed is recorded as an `unobserved` event.
import { reconcile } from '../../shared/ledger';
import type { ReadingBody, Reading } from '../../shared/schemas/readings';
import type { StoredUsageEvent } from '../../shared/schemas/events';
import { roleRank } from '../../shared/schemas/common';
import type { Auth } from '../http/auth';
import { forbidden, invalid, type FieldError } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

const FUTURE_SLACK_MS = 5 * 60_000;

export async function addReading(deps: DomainDeps, auth: Auth, body: ReadingBody) {
  const ws = workspaceOf(deps, auth.wsId);
  if (body.source !== 'page' && roleRank[auth.role] < roleRank.lead) {
    throw forbidden(`"${body.source}" readings come from leads and owners; the extension sends "page" readings`);
  }
  const now = deps.now();
  const at = Date.parse(body.at);
  const errors: FieldError[] = [];
  if (at > now + FUTURE_SLACK_MS) errors.push({ path: 'body.at', message: 'is in the future: check the sender clock' });
  if (at < now - deps.retentionDays * 86_400_000) errors.push({ path: 'body.at', message: 'is older than the retention period' });
  if (body.limit !== undefined && body.remaining > body.limit) errors.push({ path: 'body.remaining', message: 'is larger than limit' });
  if (body.limit !== undefined && body.used !== undefined && Math.abs(body.limit - body.used - body.remaining) > 0.01) {
    errors.push({ path: 'body.used', message: 'used + remaining must equal limit' });
  }
  const holder = body.holder ?? (ws.settings.billingModel === 'seat' ? `member:${auth.memberId}` : 'workspace');
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
    memberId: auth.memberId,
    receivedAt: iso(now),
  };
  const prev = latestExact(ws.readings, reading.pool, holder);
  const waits = [deps.store.commit({ op: 'reading.add', wsId: auth.wsId, reading }).durable];
  let reconciliation: ReturnType<typeof reconcile> = null;
  let unobserved: StoredUsageEvent | undefined;
  // Only a reading newer than every other one closes an interval: an older one arriving late would overlap
  // an interval already reconciled.
  if (prev && reading.exact && Date.parse(prev.at) < at) {
    reconciliation = reconcile(prev, reading, deps.store.eventLog(auth.wsId).list, ws.grants, ws.settings.cycleAnchor, {
      workspace: ws.settings,
      apps: Object.values(ws.apps),
      ownerId: Object.values(ws.members).find((m) => m.role === 'owner')?.id,
    });
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
      waits.push(deps.store.commit({ op: 'events', wsId: auth.wsId, events: [event] }).durable);
      unobserved = event;
    }
  }
  await Promise.all(waits);
  if (unobserved) deps.hub.publish(auth.wsId, 'usage', { events: [unobserved] });
  deps.feed.changed(auth.wsId);
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
