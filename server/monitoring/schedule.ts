// When a workspace is polled next, from how its last poll went (pure; the poller applies it). A 429 holds the
// workspace until its Retry-After (seconds or a date) or, without one, for an exponential backoff, and "poll
// now" waits too; 5xx, timeouts and network errors back off (1 min doubling to 1 h) but may be retried by hand;
// a refused key, an unreadable reply or refused pools wait at least the normal interval (retrying sooner cannot
// help). Every failure is a short reason token: what the status shows and the log says, never reply text.
import { iso } from '../domain/deps';
import type { MonitoringPollStatus, MonitoringRecord } from '../store/records';
import type { MonitoringOutcome } from './client';

const MINUTE = 60_000;
const MAX_BACKOFF_MS = 60 * MINUTE;

/** 1 min, 2, 4, … capped at 1 h, for the n-th failure in a row. */
export const backoffMs = (failures: number): number => Math.min(MAX_BACKOFF_MS, MINUTE * 2 ** Math.max(0, Math.min(failures - 1, 10)));

/** How a poll went. */
export type Settled =
  | { kind: 'ok'; stored: number }
  | {
      kind: 'error';
      reason: string;
      /** backoff: 1 min doubling; hold: a 429; interval: at least the normal interval; none: the normal interval (some pools stored). */
      wait: 'backoff' | 'hold' | 'interval' | 'none';
      retryAfterMs?: number;
      skipped?: { pool: string; reason: string }[];
      stored?: number;
    };

export function failure(o: Exclude<MonitoringOutcome, { kind: 'ok' | 'aborted' }>): Settled {
  switch (o.kind) {
    case 'rate_limited':
      return { kind: 'error', reason: 'rate_limited', wait: 'hold', ...(o.retryAfterMs !== undefined ? { retryAfterMs: o.retryAfterMs } : {}) };
    case 'timeout':
      return { kind: 'error', reason: 'timeout', wait: 'backoff' };
    case 'network':
      return { kind: 'error', reason: /^[A-Z][A-Z0-9_]{1,40}$/.test(o.code) ? `network_${o.code.toLowerCase()}` : 'network', wait: 'backoff' };
    case 'malformed':
      return { kind: 'error', reason: 'malformed_json', wait: 'interval' };
    case 'http': {
      const named: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };
      if (o.status >= 500 || o.status === 408) return { kind: 'error', reason: `http_${o.status}`, wait: 'backoff' };
      return { kind: 'error', reason: named[o.status] ?? `http_${o.status}`, wait: 'interval' };
    }
  }
}

export function nextStatus(prev: MonitoringPollStatus, s: Settled, now: number, intervalMinutes: number): MonitoringPollStatus {
  const interval = intervalMinutes * MINUTE;
  const failures = s.kind === 'ok' || s.wait === 'none' ? 0 : prev.failures + 1;
  let next = now + interval;
  let holdUntil: number | undefined;
  if (s.kind === 'error' && s.wait === 'backoff') next = now + backoffMs(failures);
  if (s.kind === 'error' && s.wait === 'interval') next = now + Math.max(interval, backoffMs(failures));
  if (s.kind === 'error' && s.wait === 'hold') next = holdUntil = now + (s.retryAfterMs !== undefined ? Math.max(1000, s.retryAfterMs) : backoffMs(failures));
  const stored = s.stored ?? 0;
  const lastOkAt = s.kind === 'ok' || stored > 0 ? iso(now) : prev.lastOkAt;
  return {
    lastPollAt: iso(now),
    lastResult: s.kind,
    ...(s.kind === 'error' ? { reason: s.reason } : {}),
    ...(s.kind === 'error' && s.skipped?.length ? { skipped: s.skipped } : {}),
    ...(lastOkAt ? { lastOkAt } : {}),
    nextPollAt: iso(next),
    failures,
    ...(holdUntil !== undefined ? { holdUntil: iso(holdUntil) } : {}),
    readingsStored: prev.readingsStored + stored,
  };
}

/** When the workspace may be polled: its next poll, or later while Base44 asked to wait. */
export const dueAt = (m: MonitoringRecord): number => Math.max(Date.parse(m.status.nextPollAt), m.status.holdUntil ? Date.parse(m.status.holdUntil) : 0);
