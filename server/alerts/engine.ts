// Runs the pure rule evaluation (shared/alerts) whenever a workspace's numbers change, and on a timer for
// time-driven conditions (forecasts, resets, calm bursts, day ends). Each evaluation's outcome is one durable
// record; then live clients get `alert` / `alert.resolved` frames and channels get queued deliveries.
// Evaluations are coalesced per workspace and self-throttled: the next one waits ~20× the last one's duration
// (at most 5 s), so a small workspace is evaluated at once and a huge one costs at most ~5% of the CPU.
import { evaluateAlerts, type AlertState } from '../../shared/alerts';
import type { Alert } from '../../shared/schemas/alerts';
import type { DomainDeps } from '../domain/deps';
import { ledgerInput } from '../domain/ledger-view';
import { poolRouter } from '../../shared/ledger';
import { currentBalances } from '../domain/balance-cache';
import type { Logger } from '../log';
import type { Delivery } from '../store/records';
import type { DeliveryQueue } from './queue';

const MAX_GAP_MS = 5000;

export class AlertEngine {
  private scheduled = new Map<string, NodeJS.Timeout | 'running' | 'rerun'>();
  private lastDuration = new Map<string, number>();
  private lastEnd = new Map<string, number>();
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
    const gap = Math.min(MAX_GAP_MS, 20 * (this.lastDuration.get(wsId) ?? 0));
    const wait = Math.max(0, (this.lastEnd.get(wsId) ?? 0) + gap - Date.now());
    this.scheduled.set(wsId, setTimeout(() => void this.run(wsId), wait));
  }

  private async run(wsId: string): Promise<void> {
    this.scheduled.set(wsId, 'running');
    const t0 = performance.now();
    try {
      await this.evaluate(wsId);
    } catch (e) {
      this.log.error('alert evaluation failed', { wsId, error: String((e as Error)?.stack ?? e) });
    } finally {
      this.lastDuration.set(wsId, performance.now() - t0);
      this.lastEnd.set(wsId, Date.now());
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
    if (!result.fired.length && !result.resolved.length && sameState(result.state, ws.alertState)) return { fired: [], resolved: [] };
    const at = new Date(now).toISOString();
    const resolved = result.resolved.map((r) => ({ alertId: r.alertId, at, because: r.because }));
    await this.deps.store.commit({ op: 'alerts.eval', wsId, fired: result.fired, resolved, state: result.state }).durable;
    for (const a of result.fired) this.deps.hub.publish(wsId, 'alert', a);
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
    if (deliveries.length) await this.queue.enqueue(wsId, deliveries);
    return { fired: result.fired, resolved: resolved.map((r) => r.alertId) };
  }

  close(): void {
    clearInterval(this.ticker);
    for (const s of this.scheduled.values()) if (typeof s === 'object') clearTimeout(s);
    this.scheduled.clear();
  }
}

function sameState(a: AlertState, b: AlertState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
