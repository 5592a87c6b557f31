// Runs the pure rule evaluation (shared/alerts) whenever a workspace's numbers change, and on a timer for
// time-driven conditions (forecasts, resets, calm bursts, day ends). Each evaluation's outcome is one durable
// record; then live clients get `alert` / `alert.resolved` frames and channels get queued deliveries.
// Evaluations are coalesced per workspace and self-throttled on their compute time (not on waiting for the
// disk): under 5 ms (smoothed) they run at once — alerts reach clients within milliseconds — and above that the next one
// waits 40× as long (at most 10 s), so even a store of millions of events spends only ~2.5% of the CPU here.
import { evaluateAlerts, type AlertState } from '../../shared/alerts';
import type { Alert } from '../../shared/schemas/alerts';
import type { DomainDeps } from '../domain/deps';
import { ledgerInput } from '../domain/ledger-view';
import { poolRouter } from '../../shared/ledger';
import { currentBalances } from '../domain/balance-cache';
import type { Logger } from '../log';
import type { Delivery } from '../store/records';
import type { DeliveryQueue } from './queue';

const MAX_GAP_MS = 10_000;
const FREE_MS = 5;

export class AlertEngine {
  private scheduled = new Map<string, NodeJS.Timeout | 'running' | 'rerun'>();
  private lastDuration = new Map<string, number>();
  private lastEnd = new Map<string, number>();
  /** When the change now being answered was first signalled (for the debug log's latency figures). */
  private changedAt = new Map<string, number>();
  private ticker: NodeJS.Timeout;

  constructor(
    private readonly deps: DomainDeps,
    private readonly queue: DeliveryQueue,
    private readonly log: Logger,
    tickMs = 60_000,
  ) {
    this.ticker = setInterval(() => {
      for (const wsId of Object.keys(deps.store.state.workspaces)) this.changed(wsId);
    }, tickMs);
    this.ticker.unref();
  }

  /** Something that can move a balance or a rule changed: evaluate soon. */
  changed(wsId: string): void {
    if (!this.changedAt.has(wsId)) this.changedAt.set(wsId, performance.now());
    const s = this.scheduled.get(wsId);
    if (s === 'running') {
      this.scheduled.set(wsId, 'rerun');
      return;
    }
    if (s) return;
    const cost = this.lastDuration.get(wsId) ?? 0;
    const gap = cost <= FREE_MS ? 0 : Math.min(MAX_GAP_MS, 40 * cost);
    if (gap) this.log.debug('alert evaluation throttled', { wsId, gap: Math.round(gap) });
    const wait = Math.max(0, (this.lastEnd.get(wsId) ?? 0) + gap - Date.now());
    // No gap: run as a microtask, right after the code that signalled the change. Its alert record then joins
    // the same journal group as the events that caused it (the group is written on the next loop turn), so one
    // fsync makes both durable — half the wait before the alert can be published.
    if (wait === 0) {
      this.scheduled.set(wsId, 'running');
      queueMicrotask(() => void this.run(wsId));
    } else {
      this.scheduled.set(wsId, setTimeout(() => void this.run(wsId), wait));
    }
  }

  private async run(wsId: string): Promise<void> {
    this.scheduled.set(wsId, 'running');
    try {
      await this.evaluate(wsId);
    } catch (e) {
      this.log.error('alert evaluation failed', { wsId, error: String((e as Error)?.stack ?? e) });
    } finally {
      this.lastEnd.set(wsId, Date.now());
      this.changedAt.delete(wsId);
      const again = this.scheduled.get(wsId) === 'rerun';
      this.scheduled.delete(wsId);
      if (again) this.changed(wsId);
    }
  }

  /** One evaluation, start to finish: evaluate, persist, publish, queue deliveries. */
  async evaluate(wsId: string): Promise<{ fired: Alert[]; resolved: string[] }> {
    const ws = this.deps.store.state.workspaces[wsId];
    if (!ws) return { fired: [], resolved: [] };
    const now = this.deps.now();
    const t0 = performance.now();
    const input = ledgerInput(this.deps, wsId, now);
    const result = evaluateAlerts({
      rules: ws.rules,
      balances: currentBalances(this.deps, wsId, ws),
      events: input.events,
      apps: Object.values(ws.apps).map((a) => ({ id: a.id, name: a.name, budget: a.budget })),
      members: Object.values(ws.members).map((m) => ({ id: m.id, name: m.name })),
      cycleAnchor: ws.settings.cycleAnchor,
      timezone: ws.settings.timezone,
      state: ws.alertState,
      now,
      newId: () => this.deps.ids.id('al'),
      // Routes events to pools exactly as the balance does (seat model: app owners' pools).
      router: poolRouter(input.workspace, input.apps),
    });
    // A smoothed cost: one slow (cold) evaluation must not throttle the next ones.
    this.lastDuration.set(wsId, 0.7 * (this.lastDuration.get(wsId) ?? 0) + 0.3 * (performance.now() - t0));
    this.log.debug('alerts evaluated', { wsId, ms: Math.round((performance.now() - t0) * 100) / 100, fired: result.fired.length });
    if (!result.fired.length && !result.resolved.length && sameState(result.state, ws.alertState)) return { fired: [], resolved: [] };
    const at = new Date(now).toISOString();
    const resolved = result.resolved.map((r) => ({ alertId: r.alertId, at, because: r.because }));
    const tCommit = performance.now();
    await this.deps.store.commit({ op: 'alerts.eval', wsId, fired: result.fired, resolved, state: result.state }).durable;
    const tDurable = performance.now();
    for (const a of result.fired) this.deps.hub.publish(wsId, 'alert', a);
    const since = this.changedAt.get(wsId);
    this.log.debug('alerts published', { wsId, sinceChange: since && Math.round((performance.now() - since) * 10) / 10, durableWait: Math.round((tDurable - tCommit) * 10) / 10, fanOut: Math.round((performance.now() - tDurable) * 10) / 10 });
    for (const r of resolved) {
      const a = ws.alerts.find((x) => x.id === r.alertId);
      if (a) this.deps.hub.publish(wsId, 'alert.resolved', a);
    }
    const deliveries: Delivery[] = [];
    const push = (a: Alert, message: Delivery['message']) => {
      const rule = ws.rules.find((r) => r.id === a.ruleId);
      for (const c of ws.channels) {
        if (!c.enabled || (rule?.channels?.length && !rule.channels.includes(c.id))) continue;
        deliveries.push({ id: this.deps.ids.id('dl'), channelId: c.id, alertId: a.id, message, state: 'pending', attempts: [], createdAt: at });
      }
    };
    for (const a of result.fired) push(a, 'alert');
    for (const r of resolved) {
      const a = ws.alerts.find((x) => x.id === r.alertId);
      if (a) push(a, 'alert.resolved');
    }
    // Not awaited: the next evaluation need not wait for deliveries to be recorded (the queue persists them
    // before their first attempt, and a restart re-evaluates nothing already fired).
    if (deliveries.length) {
      this.queue.enqueue(wsId, deliveries).catch((e) => this.log.error('could not queue deliveries', { wsId, error: String(e) }));
    }
    return { fired: result.fired, resolved: resolved.map((r) => r.alertId) };
  }

  close(): void {
    clearInterval(this.ticker);
    for (const s of this.scheduled.values()) if (typeof s === 'object') clearTimeout(s);
    this.scheduled.clear();
  }
}

/**
 * Equal for what decides anything. A burst entry's `lastAt` (its group's latest call) moves with every call
 * during a burst and is informational only: committing it each time would rewrite the snapshot constantly.
 */
function sameState(a: AlertState, b: AlertState): boolean {
  const strip = (s: AlertState) => JSON.stringify(s, (k, v) => (k === 'lastAt' ? undefined : v));
  return strip(a) === strip(b);
}
