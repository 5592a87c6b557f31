// The outbox: every observed call is written to storage before anything else happens to it, then sent to the
// server in batches. Event ids are made at capture time, so a batch sent twice (a reply lost, the worker
// stopped mid-send) is counted once by the server's idempotency. Nothing is dropped while the server is down,
// the browser offline or the worker restarted: failures back off (1 s doubling to 5 min) and retry from storage.
// A batch the server refuses as invalid is halved until the bad events are isolated, and only those are set aside.
import type { UsageEvent } from '../../shared/schemas/events';
import { ApiError, type Api } from '../utils/api';
import { createLock } from '../utils/lock';
import { items } from '../utils/storage';
import { outboxStore } from '../utils/outbox-store';

export interface OutboxDeps {
  api: () => Promise<Api | null>;
  now: () => number;
  /** Ask to be woken for a retry at `at` (an alarm, plus a timer while the worker lives). */
  scheduleRetry: (at: number) => void;
  /** The token was refused: pairing is gone. */
  onAuthError: (e: ApiError) => void;
  /** A batch got through: the server is reachable again. */
  onDelivered?: () => void;
  jitter?: () => number;
}

const BATCH = 500;
const ACK_MEMORY_MS = 5 * 60_000;

export function backoffMs(attempts: number, jitter = 1): number {
  return Math.round(Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1)) * jitter);
}

export function createOutbox(d: OutboxDeps) {
  const lock = createLock();
  let flushing: Promise<void> | null = null;
  let again = false;
  let forced = false;

  // Ids added lately: a content script that resent a batch whose reply it missed must not count twice
  // locally (the server would count it once anyway). Past the cap the outbox drops its oldest events.
  const recentIds = new Set<string>();
  async function add(events: UsageEvent[]): Promise<void> {
    await lock.run(async () => {
      const fresh = events.filter((e) => !recentIds.has(e.id));
      for (const e of fresh) recentIds.add(e.id);
      while (recentIds.size > 5000) recentIds.delete(recentIds.values().next().value!);
      await outboxStore.append(fresh);
    });
  }

  async function settle(sent: UsageEvent[], ok: boolean, rejectedDetail?: string): Promise<void> {
    await lock.run(async () => {
      await outboxStore.remove(new Set(sent.map((e) => e.id)));
      const del = await items.delivery.get();
      const now = d.now();
      if (ok) {
        del.acked = [...del.acked.filter((a) => now - a.at < ACK_MEMORY_MS), ...sent.map((e) => ({ credits: e.credits, kind: e.kind, appId: e.appId, at: now }))];
        del.attempts = 0;
        del.nextAttemptAt = undefined;
        del.lastError = undefined;
        del.lastOkAt = now;
      } else {
        del.rejected = [...del.rejected, { at: now, count: sent.length, detail: rejectedDetail ?? 'refused' }].slice(-20);
      }
      await items.delivery.set(del);
    });
  }

  /** Sends one batch; on "invalid" splits it so valid events still arrive. Throws transient/auth errors. */
  async function send(api: Api, batch: UsageEvent[]): Promise<void> {
    try {
      await api.postEvents(batch);
      await settle(batch, true);
      d.onDelivered?.();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, String(e));
      if (err.status !== 400 && err.status !== 413) throw err;
      if (batch.length === 1) return settle(batch, false, err.message);
      const half = Math.ceil(batch.length / 2);
      await send(api, batch.slice(0, half));
      await send(api, batch.slice(half));
    }
  }

  /** False when it stopped on a failure (a retry is scheduled). */
  async function run(force: boolean): Promise<boolean> {
    const api = await d.api();
    if (!api) return false;
    // A new call while backing off waits for the scheduled retry: hammering a down server helps no one.
    if (!force && ((await items.delivery.get()).nextAttemptAt ?? 0) > d.now()) return false;
    for (;;) {
      const batch = await outboxStore.head(BATCH);
      if (!batch.length) return true;
      try {
        await send(api, batch);
      } catch (e) {
        const err = e as ApiError;
        if (err.status === 401 || err.status === 403) d.onAuthError(err);
        await lock.run(async () => {
          const del = await items.delivery.get();
          del.attempts += 1;
          del.nextAttemptAt = d.now() + backoffMs(del.attempts, d.jitter?.() ?? 0.8 + Math.random() * 0.4);
          del.lastError = err.message;
          await items.delivery.set(del);
          if (err.status !== 401 && err.status !== 403) d.scheduleRetry(del.nextAttemptAt);
        });
        return false;
      }
    }
  }

  return {
    add,
    /** Empties it, in turn with adds and settles (a write in flight must not bring old events back). */
    clear: () => lock.run(() => outboxStore.clear()),
    /** Sends everything waiting; concurrent calls share one run. */
    /** `force`: ignore the backoff (the retry timer fired, or the stream just reconnected). */
    flush(opts: { force?: boolean } = {}): Promise<void> {
      if (opts.force) forced = true;
      if (flushing) {
        // Events added after the running pass read the outbox still need a pass of their own.
        again = true;
        return flushing;
      }
      flushing = (async () => {
        do {
          again = false;
          const force = forced;
          forced = false;
          if (!(await run(force)) && !forced) break;
        } while (again || forced);
      })().finally(() => {
        flushing = null;
      });
      return flushing;
    },
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
