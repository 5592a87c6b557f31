// Usage-event ingest: validate what the schema cannot (members, time bounds), attribute to the sender,
// commit idempotently, answer only once durable, then tell live clients.
import type { IngestBody, StoredUsageEvent } from '../../shared/schemas/events';
import { roleRank } from '../../shared/schemas/common';
import type { Auth } from '../http/auth';
import { forbidden, invalid, type FieldError } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';
import { completeEvent, sentEventsLine } from '../store/records';

const FUTURE_SLACK_MS = 24 * 3_600_000;

/** `raw`: the request bytes, journalled as sent when given (see sentEventsLine). */
export async function ingestEvents(deps: DomainDeps, auth: Auth, body: IngestBody, raw?: Buffer) {
  const ws = workspaceOf(deps, auth.wsId);
  const now = deps.now();
  const oldest = now - deps.retentionDays * 86_400_000;
  const errors: FieldError[] = [];
  const receivedAt = iso(now);
  // The parsed events are fresh objects (zod copies), so they are completed in place: this loop runs for
  // every event ingested, and spreading each into a new object cost more than all the checks together.
  const events = body.events as StoredUsageEvent[];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const at = Date.parse(e.at);
    if (at > now + FUTURE_SLACK_MS) errors.push({ path: `body.events.${i}.at`, message: 'is more than a day in the future: check the sender clock' });
    if (at < oldest) errors.push({ path: `body.events.${i}.at`, message: `is older than the retention period (${deps.retentionDays} days)` });
    if (e.memberId !== undefined && e.memberId !== auth.memberId) {
      if (roleRank[auth.role] < roleRank.lead) throw forbidden('only leads and owners may send events on behalf of another member');
      if (!Object.hasOwn(ws.members, e.memberId)) errors.push({ path: `body.events.${i}.memberId`, message: 'no such member in this workspace' });
    }
    completeEvent(e, auth.memberId, receivedAt);
  }
  if (errors.length) throw invalid(`${errors.length} event${errors.length > 1 ? 's are' : ' is'} not valid; nothing was stored`, errors);

  const line = raw && ((seq: number) => sentEventsLine(seq, auth.wsId, auth.memberId, receivedAt, raw));
  const { added = [], durable } = deps.store.commit({ op: 'events', wsId: auth.wsId, events }, line);
  // Alert evaluation may start now, before these events are on disk: the journal is written in order, so an
  // alert's own record is durable only once these events are, and alerts are published only after that.
  if (added.length) deps.feed.changed(auth.wsId);
  const waits = [durable];
  for (const e of added) {
    // Apps are registered the first time they are seen (the commit makes the next check true at once).
    if (e.appId && !Object.hasOwn(ws.apps, e.appId)) waits.push(deps.store.commit({ op: 'app.put', wsId: auth.wsId, app: { id: e.appId, firstSeenAt: receivedAt } }).durable);
  }
  await Promise.all(waits);
  // A turn later: an alert these events caused becomes durable in the same write and goes out first.
  if (added.length) setImmediate(() => deps.hub.publish(auth.wsId, 'usage', { events: added }));
  return { accepted: added.length, duplicates: events.length - added.length };
}
