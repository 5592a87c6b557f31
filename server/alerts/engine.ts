// Runs the pure rule evaluation (shared/alerts) whenever a workspace's numbers change, and on a timer for
// time-driven conditions (forecasts, resets, calm bursts, day ends). Each evaluation's outcome is one durable
// record; then live clients get `alert` / `alert.resolved` frames and channels get queued deliveries.
// Evaluations are coalesced per workspace and paid from a CPU budget per workspace: a token bucket refilled at
// 4% of wall time with a 20 ms burst, spent by each evaluation's compute time (not its waits for the disk).
// While there is budget an evaluation runs at once, so alerts reach clients within milliseconds; a store so
// large, or ingest so busy, that evaluations exhaust it waits for the refill (at most 10 s), so alert
// evaluation never takes more than ~4% of the CPU away from ingest.
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
const BUDGET_SHARE = 0.04;
const BUDGET_BURST_MS = 20;

export class AlertEngine {
  private scheduled = new Map<string, NodeJS.Timeout | 'running' | 'rerun'>();
  /** CPU budget per workspace, in ms, as of `at` (performance.now()). */
  private budget = new Map<string, { ms: number; at: number }>();
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
    const s = this.scheduled.get(wsId);
    if (s === 'running') {
      this.scheduled.set(wsId, 'rerun');
      return;
    }
    if (s) return;
    const wait = this.waitFor(wsId);
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

  /** Milliseconds until the workspace's budget is back above zero (0: run now). */
  private waitFor(wsId: string): number {
    const now = performance.now();
    const b = this.budget.get(wsId) ?? { ms: BUDGET_BURST_MS, at: now };
    // The debt is floored at what MAX_GAP_MS repays: one huge evaluation cannot throttle the next minutes.
    b.ms = Math.max(-MAX_GAP_MS * BUDGET_SHARE, Math.min(BUDGET_BURST_MS, b.ms + (now - b.at) * BUDGET_SHARE));
    b.at = now;
    this.budget.set(wsId, b);
    const wait = b.ms >= 0 ? 0 : Math.min(MAX_GAP_MS, -b.ms / BUDGET_SHARE);
    if (wait) this.log.debug('alert evaluation throttled', { wsId, wait: Math.round(wait) });
    return wait;
  }

  private spend(wsId: string, ms: number): void {
    const b = this.budget.get(wsId);
    if (b) b.ms -= ms;
  }

  private async run(wsId: string): Promise<void> {
    this.scheduled.set(wsId, 'running');
    try {
      await this.evaluate(wsId);
    } catch (e) {
      this.log.error('alert evaluation failed', { wsId, error: String((e as Error)?.stack ?? e) });
    } finally {
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
    this.spend(wsId, performance.now() - t0);
    this.log.debug('alerts evaluated', { wsId, ms: Math.round((performance.now() - t0) * 100) / 100, fired: result.fired.length });
    if (!result.fired.length && !result.resolved.length && sameState(result.state, ws.alertState)) return { fired: [], resolved: [] };
    const at = new Date(now).toISOString();
    const resolved = result.resolved.map((r) => ({ alertId: r.alertId, at, because: r.because }));
    // The resolved alerts as they stand now (applying the record may trim old resolved ones from the list).
    const resolvedAlerts = resolved.map((r) => ws.alerts.find((x) => x.id === r.alertId)).filter((a): a is Alert => !!a);
    const deliveries: Delivery[] = [];
    const cancelled: Delivery[] = [];
    const dl = (a: Alert, channelId: string, message: Delivery['message']): Delivery =>
      ({ id: this.deps.ids.id('dl'), channelId, alertId: a.id, message, state: 'pending', attempts: [], createdAt: at });
    for (const a of result.fired) {
      // The channels an alert goes to are fixed when it fires, so its "resolved" follows the same path later.
      const rule = ws.rules.find((r) => r.id === a.ruleId);
      a.channels = ws.channels.filter((c) => c.enabled && (!rule?.channels?.length || rule.channels.includes(c.id))).map((c) => c.id);
      for (const c of a.channels) deliveries.push(dl(a, c, 'alert'));
    }
    for (const a of resolvedAlerts) {
      for (const c of a.channels ?? []) {
        const sent = Object.values(ws.deliveries).find((d) => d.alertId === a.id && d.channelId === c && d.message === 'alert');
        if (sent?.state === 'delivered') deliveries.push(dl(a, c, 'alert.resolved'));
        // Still retrying when it resolved: the news is stale — drop it rather than send it after the all-clear.
        else if (sent?.state === 'pending') {
          cancelled.push({ ...sent, state: 'failed', nextAt: undefined, attempts: [...sent.attempts, { at, ok: false, error: 'not sent: the alert resolved first' }] });
        }
      }
    }
    // One record: the alerts, their resolutions, the rule state and the deliveries are durable together, so a
    // crash can never leave an alert marked fired without the deliveries that announce it.
    await this.deps.store.commit({ op: 'alerts.eval', wsId, fired: result.fired, resolved, state: result.state, deliveries: [...deliveries, ...cancelled] }).durable;
    for (const a of result.fired) this.deps.hub.publish(wsId, 'alert', a);
    for (const a of resolvedAlerts) this.deps.hub.publish(wsId, 'alert.resolved', { ...a, resolvedAt: at, resolvedBecause: resolved.find((r) => r.alertId === a.id)?.because });
    this.queue.cancel(wsId, cancelled.map((d) => d.id));
    this.queue.scheduleAll(wsId, deliveries);
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
