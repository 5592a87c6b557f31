// The Monitoring API key of a workspace: set by an owner, shown to leads and owners only as a status with the
// key masked (`••••abcd`), removed by an owner; "poll now". The key is sealed before it is recorded
// (store/secrets.ts) and is never part of a reply, an error or a log line. Polling itself: server/monitoring.
import { MONITORING_DEFAULT_BASE_URL, MONITORING_DEFAULT_INTERVAL_MINUTES, type MonitoringPut, type MonitoringStatus } from '../../shared/schemas/monitoring';
import type { Auth } from '../http/auth';
import type { MonitoringPoller } from '../monitoring/poller';
import type { MonitoringConfig, MonitoringPollStatus } from '../store/records';
import { conflict } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

export interface MonitoringDeps extends DomainDeps {
  poller: MonitoringPoller;
}

export const maskKey = (hint: string): string => `••••${hint}`;

export async function setMonitoring(deps: MonitoringDeps, auth: Auth, body: MonitoringPut): Promise<MonitoringStatus> {
  const prev = workspaceOf(deps, auth.wsId).monitoring;
  const now = deps.now();
  const baseUrl = (body.baseUrl ?? MONITORING_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const config: MonitoringConfig = {
    id: deps.ids.id('mon'),
    sealedKey: deps.store.secrets.seal(body.apiKey, auth.wsId),
    keyHint: body.apiKey.slice(-4),
    workspaceId: body.workspaceId,
    baseUrl,
    intervalMinutes: body.intervalMinutes ?? MONITORING_DEFAULT_INTERVAL_MINUTES,
    setAt: iso(now),
    setBy: auth.memberId,
  };
  // First poll at once; but a wait Base44 asked for (429) still holds when the key is entered again.
  const hold = prev && prev.baseUrl === baseUrl && prev.status.holdUntil && Date.parse(prev.status.holdUntil) > now ? prev.status.holdUntil : undefined;
  const status: MonitoringPollStatus = { nextPollAt: hold ?? iso(now), failures: 0, readingsStored: 0, ...(hold ? { holdUntil: hold } : {}) };
  await deps.store.commit({ op: 'monitoring.put', wsId: auth.wsId, config, status }).durable;
  deps.poller.configured(auth.wsId);
  return monitoringStatus(deps, auth.wsId);
}

export async function removeMonitoring(deps: MonitoringDeps, auth: Auth): Promise<void> {
  if (!workspaceOf(deps, auth.wsId).monitoring) return;
  await deps.store.commit({ op: 'monitoring.remove', wsId: auth.wsId }).durable;
  deps.poller.removed(auth.wsId);
}

export async function pollMonitoring(deps: MonitoringDeps, auth: Auth): Promise<MonitoringStatus> {
  if (!workspaceOf(deps, auth.wsId).monitoring) throw conflict('no Monitoring API key is set: PUT it at .../monitoring first');
  const poll = await deps.poller.pollNow(auth.wsId);
  return { ...monitoringStatus(deps, auth.wsId), poll };
}

/** Built field by field from the record: the sealed key is never copied into a reply. */
export function monitoringStatus(deps: MonitoringDeps, wsId: string): MonitoringStatus {
  const m = workspaceOf(deps, wsId).monitoring;
  if (!m) return { configured: false };
  const s = m.status;
  const latest = deps.poller.latest(wsId, m.id);
  return {
    configured: true,
    apiKey: maskKey(m.keyHint),
    workspaceId: m.workspaceId,
    baseUrl: m.baseUrl,
    intervalMinutes: m.intervalMinutes,
    setAt: m.setAt,
    setBy: m.setBy,
    ...(s.lastPollAt ? { lastPollAt: s.lastPollAt } : {}),
    ...(s.lastResult ? { lastResult: s.lastResult } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.skipped ? { skipped: s.skipped } : {}),
    ...(s.lastOkAt ? { lastOkAt: s.lastOkAt } : {}),
    nextPollAt: s.holdUntil && s.holdUntil > s.nextPollAt ? s.holdUntil : s.nextPollAt,
    failures: s.failures,
    readingsStored: s.readingsStored,
    ...(latest ? { latest: { at: latest.at, pools: latest.pools, ...(latest.tier ? { tier: latest.tier } : {}), memberAllocations: latest.memberAllocations } } : {}),
  };
}
