// Polls Base44's Monitoring API for every workspace with a key: one timer per workspace, armed for its next
// poll (`status.nextPollAt`, persisted, so a restart resumes the schedule instead of polling everyone at once).
// Every request, scheduled or asked for, spends from one token bucket shared by all workspaces: Base44 allows
// about 50 requests a minute, so the server stays at 40 a minute with bursts of 10 (never more than 50 in any
// minute). When to poll after a failure (429 and Retry-After, backoff) is schedule.ts. Good pools become
// exact readings through recordReading, so reconciliation and `unobserved` follow; a bad pool or reply stores
// nothing. Time is the injected clock: tests move it and call pollDue()/pollNow(); real timers only decide
// when to look. The key is unsealed just for the request and never logged.
import { parseMonitoringReply } from '../../shared/base44/monitoring';
import type { MemberAllocation, MonitoredPool } from '../../shared/schemas/monitoring';
import { recordReading } from '../domain/readings';
import { DomainError } from '../domain/errors';
import { iso, type DomainDeps } from '../domain/deps';
import type { Logger } from '../log';
import type { MonitoringPollStatus, MonitoringRecord } from '../store/records';
import { requestAnalytics, type FetchLike } from './client';
import { dueAt, failure, nextStatus, type Settled } from './schedule';

export interface MonitoringOptions {
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Arm real timers (default true). Tests that drive every poll themselves turn them off. */
  timers?: boolean;
  /** Server-wide request budget (default 40 a minute, bursts of 10). */
  requestsPerMinute?: number;
  burst?: number;
  /** Per request, reply included (default 10 s). */
  timeoutMs?: number;
}

/** What the last successful poll saw, kept in memory for the status reply. */
export interface LatestPoll {
  configId: string;
  at: string;
  pools: MonitoredPool[];
  tier?: string;
  memberAllocations: MemberAllocation[];
}

const MINUTE = 60_000;
/** setTimeout's ceiling; a longer wait is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class MonitoringPoller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly latestPolls = new Map<string, LatestPoll>();
  private readonly stop = new AbortController();
  private closed = false;
  private readonly fetch: FetchLike;
  private readonly perMs: number;
  private readonly capacity: number;
  private bucket: { tokens: number; at: number };

  constructor(
    private readonly deps: DomainDeps,
    private readonly log: Logger,
    private readonly opts: MonitoringOptions = {},
  ) {
    this.fetch = opts.fetch ?? ((url, init) => fetch(url, init));
    this.perMs = (opts.requestsPerMinute ?? 40) / MINUTE;
    this.capacity = Math.max(1, opts.burst ?? 10);
    this.bucket = { tokens: this.capacity, at: deps.now() };
  }

  /** Arms a timer for every workspace that has a key (the stored ones, at start-up). */
  start(): void {
    for (const wsId of Object.keys(this.deps.store.state.workspaces)) this.arm(wsId);
  }

  /** A key was set or replaced: forget what the old one saw and poll on the new schedule. */
  configured(wsId: string): void {
    this.latestPolls.delete(wsId);
    this.arm(wsId);
  }

  removed(wsId: string): void {
    this.latestPolls.delete(wsId);
    this.disarm(wsId);
  }

  latest(wsId: string, configId: string): LatestPoll | undefined {
    const l = this.latestPolls.get(wsId);
    return l?.configId === configId ? l : undefined;
  }

  /**
   * Poll one workspace now ("poll now"): "polled" once done, or "queued" when the shared budget is spent or
   * Base44 asked to wait; the poll then happens at status.nextPollAt.
   */
  async pollNow(wsId: string): Promise<'polled' | 'queued'> {
    const running = this.inFlight.get(wsId);
    if (running) {
      await running;
      return 'polled';
    }
    const m = this.config(wsId);
    if (!m) return 'queued';
    const now = this.deps.now();
    if (m.status.holdUntil && Date.parse(m.status.holdUntil) > now) return 'queued';
    const wait = this.take();
    if (wait > 0) {
      // As soon as the budget allows (unless already due sooner).
      const at = now + wait;
      if (Date.parse(m.status.nextPollAt) > at) await this.saveStatus(wsId, m.id, { ...m.status, nextPollAt: iso(at) });
      this.arm(wsId);
      return 'queued';
    }
    await this.run(wsId);
    return 'polled';
  }

  /** Polls every workspace that is due by the clock, most overdue first, while the shared budget lasts. */
  async pollDue(): Promise<number> {
    const now = this.deps.now();
    const due = Object.keys(this.deps.store.state.workspaces)
      .flatMap((wsId) => {
        const m = this.config(wsId);
        return m && !this.inFlight.has(wsId) && dueAt(m) <= now ? [{ wsId, at: dueAt(m) }] : [];
      })
      .sort((a, b) => a.at - b.at);
    let polled = 0;
    for (const { wsId } of due) {
      if (this.closed || this.take() > 0) break;
      await this.run(wsId);
      polled++;
    }
    return polled;
  }

  /** Stops the timers, cancels requests in flight and waits for their bookkeeping (before the store closes). */
  async close(): Promise<void> {
    this.closed = true;
    for (const wsId of [...this.timers.keys()]) this.disarm(wsId);
    this.stop.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  // -------------------------------------------------------------------------------------------------------

  private config(wsId: string): MonitoringRecord | undefined {
    return this.deps.store.state.workspaces[wsId]?.monitoring;
  }

  /** Spends one request from the shared budget: 0 when allowed, else the ms until one is available. */
  private take(): number {
    const now = this.deps.now();
    const b = this.bucket;
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.perMs);
  }

  private disarm(wsId: string): void {
    clearTimeout(this.timers.get(wsId));
    this.timers.delete(wsId);
  }

  private arm(wsId: string, delay?: number): void {
    this.disarm(wsId);
    const m = this.config(wsId);
    if (this.closed || this.opts.timers === false || !m) return;
    const ms = delay ?? dueAt(m) - this.deps.now();
    const timer = setTimeout(() => {
      this.timers.delete(wsId);
      void this.fire(wsId);
    }, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    timer.unref();
    this.timers.set(wsId, timer);
  }

  private async fire(wsId: string): Promise<void> {
    const m = this.config(wsId);
    if (!m || this.closed || this.inFlight.has(wsId)) return;
    if (dueAt(m) > this.deps.now()) return this.arm(wsId);
    const wait = this.take();
    if (wait > 0) return this.arm(wsId, Math.max(1000, wait));
    await this.run(wsId);
  }

  /** One poll per workspace at a time; re-arms the timer after it. Never rejects. */
  private run(wsId: string): Promise<void> {
    const running = this.inFlight.get(wsId);
    if (running) return running;
    const p = this.poll(wsId)
      .catch((e) => this.log.error('monitoring poll failed unexpectedly', { wsId, error: e instanceof Error ? e.name : 'unknown' }))
      .finally(() => {
        this.inFlight.delete(wsId);
        this.arm(wsId);
      });
    this.inFlight.set(wsId, p);
    return p;
  }

  private async poll(wsId: string): Promise<void> {
    const m = this.config(wsId);
    if (!m) return;
    const apiKey = this.deps.store.secrets.open(m.sealedKey, wsId);
    if (apiKey === null) {
      await this.finish(wsId, m, { kind: 'error', reason: 'key_unreadable', wait: 'interval' });
      return;
    }
    const outcome = await requestAnalytics({
      baseUrl: m.baseUrl, workspaceId: m.workspaceId, apiKey, fetch: this.fetch, timeoutMs: this.opts.timeoutMs ?? 10_000, signal: this.stop.signal, now: this.deps.now,
    });
    if (outcome.kind === 'aborted' || this.closed) return;
    await this.finish(wsId, m, outcome.kind === 'ok' ? await this.store(wsId, m, outcome.json, apiKey) : failure(outcome));
  }

  /** Stores the good pools of a reply as exact readings; says how it went. */
  private async store(wsId: string, m: MonitoringRecord, json: unknown, apiKey: string): Promise<Settled> {
    const reply = parseMonitoringReply(json);
    if (reply.error) return { kind: 'error', reason: reply.error, wait: 'interval' };
    const ws = this.deps.store.state.workspaces[wsId];
    if (!ws) return { kind: 'error', reason: 'no_workspace', wait: 'interval' };
    // The Monitoring API reports the workspace pool model's shared pool; a seat-model workspace has no such pool.
    if (ws.settings.billingModel === 'seat') return { kind: 'error', reason: 'seat_model', wait: 'interval' };
    const at = iso(this.deps.now());
    const memberId = Object.values(ws.members).find((x) => x.role === 'owner')?.id ?? m.setBy;
    const skipped: { pool: string; reason: string }[] = [...reply.skipped];
    let stored = 0;
    for (const p of reply.pools) {
      // A key replaced or removed meanwhile: what the old one read is no longer wanted.
      if (this.config(wsId)?.id !== m.id) break;
      try {
        await recordReading(this.deps, wsId, memberId, {
          pool: p.pool, holder: 'workspace', remaining: p.remaining,
          ...(p.limit !== undefined ? { limit: p.limit } : {}), ...(p.used !== undefined ? { used: p.used } : {}),
          at, source: 'monitoring-api', exact: true,
        });
        stored++;
      } catch (e) {
        skipped.push({ pool: p.pool, reason: e instanceof DomainError ? 'reading_rejected' : 'store_failed' });
      }
    }
    this.latestPolls.set(wsId, {
      configId: m.id, at, pools: reply.pools, ...(reply.tier && !echoes(reply.tier, apiKey) ? { tier: reply.tier } : {}),
      // A reply could echo the key (a misconfigured proxy, a hostile base URL): such a field is dropped.
      memberAllocations: reply.memberAllocations.map((a) => withoutSecret(a, apiKey)),
    });
    return skipped.length
      ? { kind: 'error', reason: 'pool_rejected', skipped, stored, wait: stored ? 'none' : 'interval' }
      : { kind: 'ok', stored };
  }

  private async finish(wsId: string, m: MonitoringRecord, s: Settled): Promise<void> {
    // A key replaced or removed during the poll: its outcome describes a config that is gone.
    if (this.config(wsId)?.id !== m.id) return;
    const status = nextStatus(m.status, s, this.deps.now(), m.intervalMinutes);
    if (s.kind === 'error') this.log.warn('monitoring poll failed', { wsId, reason: s.reason, failures: status.failures, nextPollAt: status.nextPollAt });
    await this.saveStatus(wsId, m.id, status);
  }

  private async saveStatus(wsId: string, configId: string, status: MonitoringPollStatus): Promise<void> {
    await this.deps.store.commit({ op: 'monitoring.status', wsId, configId, status }).durable;
  }
}

/** Whether a string from a reply contains the key, or a telling part of it. */
const echoes = (s: string, key: string): boolean => s.includes(key) || (s.length >= 6 && key.includes(s));

function withoutSecret(a: MemberAllocation, secret: string): MemberAllocation {
  const out = { ...a };
  for (const k of ['id', 'email', 'name'] as const) if (out[k] !== undefined && echoes(out[k], secret)) delete out[k];
  return out;
}
