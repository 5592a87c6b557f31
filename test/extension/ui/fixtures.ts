// A complete `status` reply, as the background sends it, for the popup and options tests. Times are fixed:
// NOW is 2026-03-10T12:00:00Z; the cycle ends 3 days 4 hours later.
import type { Status } from '../../../extension/background/status';
import { DEFAULT_PREFS } from '../../../shared/messages';
import type { PoolBalance } from '../../../shared/schemas/balance';

export const NOW = Date.parse('2026-03-10T12:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

export function pool(kind: 'message' | 'integration', over: Partial<PoolBalance> = {}): PoolBalance {
  return {
    kind,
    holder: 'workspace',
    limit: kind === 'message' ? 250 : 10_000,
    used: kind === 'message' ? 50 : 1_000,
    remaining: kind === 'message' ? 200 : 9_000,
    exact: true,
    cycle: { start: iso(NOW - 27 * 24 * H), end: iso(NOW + 76 * H) },
    forecast: { perDay: 30, beforeReset: false },
    ...over,
  };
}

export function makeStatus(over: Partial<Status> = {}): Status {
  return {
    now: NOW,
    pairing: { server: 'http://127.0.0.1:4317', workspace: { id: 'ws1', name: 'Acme' }, member: { id: 'm1', name: 'Ada', role: 'owner' } },
    connection: { state: 'live', since: NOW - 10 * 60_000 },
    balance: { pools: [pool('message'), pool('integration')], at: iso(NOW - 5_000), receivedAt: NOW - 5_000 },
    pending: { message: 0, integration: 0 },
    outbox: { count: 0, delivery: { attempts: 0, acked: [], rejected: [] } },
    tab: { kind: 'integration' },
    flows: [],
    recent: [],
    team: null,
    teamLive: true,
    outOfCredits: null,
    alerts: [],
    prefs: DEFAULT_PREFS,
    domains: [],
    ...over,
  };
}

export const team = (over: Partial<NonNullable<Status['team']>> = {}): NonNullable<Status['team']> => ({
  at: NOW - 5 * 60_000,
  byMember: [
    { key: 'm2', credits: 30, calls: 20 },
    { key: 'm1', credits: 10, calls: 5 },
  ],
  byApp: [
    { key: 'app1', credits: 36, calls: 22 },
    { key: 'app9', credits: 4, calls: 3 },
  ],
  names: { m1: 'Ada', m2: 'Bo', app1: 'Shop' },
  appActions: { app1: [{ key: 'Core.SendEmail', credits: 6, calls: 3 }, { key: 'Core.InvokeLLM', credits: 30, calls: 19 }] },
  ...over,
});

/** Lets promises settle and Preact re-render (it batches renders on a timeout/microtask). */
export const flush = () => new Promise((r) => setTimeout(r, 0));
