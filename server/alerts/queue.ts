// The persisted delivery queue: every alert × channel is a Delivery record in the store; attempts are retried
// with backoff (about 8 attempts over a day, as the large webhook providers do). Each delivery has its own
// timer and timeout, so a failing channel never delays another. On start every pending delivery is
// rescheduled from the store: a restart neither loses nor repeats a pending delivery (a request in flight at a
// crash is sent again; webhooks carry the delivery id as webhook-id so receivers can drop the repeat).
import type { Store } from '../store/store';
import type { Delivery } from '../store/records';
import type { Channel, DeliveryMessage } from '../../shared/schemas/alerts';
import type { Logger } from '../log';

export type Send = (channel: Channel, msg: DeliveryMessage, opts: { deliveryId: string; recipients?: string[] }) => Promise<{ status?: number }>;

export interface QueueDeps {
  store: Store;
  now: () => number;
  log: Logger;
  send: Send;
  /** Seconds to wait before attempt 1, 2, …; its length is the number of attempts. */
  schedule: number[];
  /** The message to deliver, rebuilt from the store (alerts are stored once, not per delivery). */
  message: (wsId: string, d: Delivery) => DeliveryMessage | undefined;
  recipients: (wsId: string) => string[];
}

/** Svix/Standard Webhooks-like: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — 8 attempts over ~28 h. */
export const DEFAULT_SCHEDULE = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

const MAX_TIMER_MS = 2 ** 31 - 1;

export class DeliveryQueue {
  private timers = new Map<string, NodeJS.Timeout>();
  private inFlight = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: QueueDeps) {}

  /** Reschedules every pending delivery found in the store (after a restart). */
  start(): void {
    for (const [wsId, ws] of Object.entries(this.deps.store.state.workspaces)) {
      for (const d of Object.values(ws.deliveries)) if (d.state === 'pending') this.schedule(wsId, d);
    }
  }

  /** Records new deliveries (durably) and schedules their first attempt. */
  async enqueue(wsId: string, deliveries: Delivery[]): Promise<void> {
    await Promise.all(deliveries.map((delivery) => this.deps.store.commit({ op: 'delivery.put', wsId, delivery }).durable));
    this.scheduleAll(wsId, deliveries);
  }

  /** Schedules deliveries already recorded durably (e.g. inside an alert evaluation's record). */
  scheduleAll(wsId: string, deliveries: Delivery[]): void {
    for (const d of deliveries) this.schedule(wsId, d);
  }

  /** Stops the timers of deliveries that were cancelled in the store. */
  cancel(wsId: string, ids: string[]): void {
    for (const id of ids) {
      clearTimeout(this.timers.get(`${wsId}/${id}`));
      this.timers.delete(`${wsId}/${id}`);
    }
  }

  pending(): number {
    return this.timers.size + this.inFlight.size;
  }

  private schedule(wsId: string, d: Delivery): void {
    if (this.closed) return;
    const key = `${wsId}/${d.id}`;
    clearTimeout(this.timers.get(key));
    const wait = Math.max(0, Math.min(MAX_TIMER_MS, (d.nextAt ? Date.parse(d.nextAt) : 0) - this.deps.now()));
    const t = setTimeout(() => {
      this.timers.delete(key);
      void this.attempt(wsId, d.id);
    }, wait);
    t.unref?.();
    this.timers.set(key, t);
  }

  private async attempt(wsId: string, id: string): Promise<void> {
    const key = `${wsId}/${id}`;
    const ws = this.deps.store.state.workspaces[wsId];
    const d = ws?.deliveries[id];
    if (!ws || !d || d.state !== 'pending' || this.inFlight.has(key) || this.closed) return;
    let done!: () => void;
    this.inFlight.set(key, new Promise<void>((r) => (done = r)));
    try {
      await this.attemptOnce(wsId, d);
    } finally {
      this.inFlight.delete(key);
      done();
    }
  }

  private async attemptOnce(wsId: string, d: Delivery): Promise<void> {
    const ws = this.deps.store.state.workspaces[wsId]!;
    const channel = ws.channels.find((c) => c.id === d.channelId);
    const msg = this.deps.message(wsId, d);
    const at = new Date(this.deps.now()).toISOString();
    if (!channel || !msg || !channel.enabled) {
      const why = !channel ? 'the channel was removed' : !msg ? 'the alert no longer exists' : 'the channel is disabled';
      await this.finish(wsId, { ...d, state: 'failed', attempts: [...d.attempts, { at, ok: false, error: why }], nextAt: undefined });
      return;
    }
    let next: Delivery;
    try {
      const r = await this.deps.send(channel, msg, { deliveryId: d.id, recipients: this.deps.recipients(wsId) });
      next = { ...d, state: 'delivered', attempts: [...d.attempts, { at, ok: true, ...(r.status ? { status: r.status } : {}) }], nextAt: undefined };
    } catch (e) {
      const err = e as { status?: number; retryable?: boolean; message?: string; retryAfterMs?: number; code?: string };
      const attempts = [...d.attempts, { at, ok: false, ...(err.status ? { status: err.status } : {}), error: String(err.message ?? e).slice(0, 300) }];
      const more = err.retryable !== false && attempts.length < this.deps.schedule.length;
      // A receiver's Retry-After (429/503) is honoured when it asks for longer than the schedule would wait.
      const wait = Math.max(this.deps.schedule[attempts.length] * 1000, err.retryAfterMs ?? 0);
      next = more ? { ...d, attempts, nextAt: new Date(this.deps.now() + wait).toISOString() } : { ...d, state: 'failed', attempts, nextAt: undefined };
      if (err.code === 'gone') {
        // The Slack or Discord hook was deleted: stop sending to it until a lead fixes or re-enables it.
        this.deps.store.commit({ op: 'channel.put', wsId, channel: { ...channel, enabled: false } });
        this.deps.log.warn('channel disabled: its hook is gone', { wsId, channel: channel.id });
      }
      if (!more) this.deps.log.warn('delivery failed for good', { wsId, delivery: d.id, channel: channel.id, attempts: attempts.length });
    }
    await this.finish(wsId, next);
  }

  private async finish(wsId: string, d: Delivery): Promise<void> {
    try {
      await this.deps.store.commit({ op: 'delivery.put', wsId, delivery: d }).durable;
    } catch {
      return; // shutting down: the delivery stays pending in the store and is retried after the restart
    }
    if (d.state === 'pending') this.schedule(wsId, d);
  }

  /**
   * Stops scheduling, then waits for sends in flight and records their outcome (call before the store closes):
   * a message that went out is not sent again after the restart.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.inFlight.values());
  }
}
