// Pushes `balance` frames when a workspace's numbers change, coalesced: a burst of ingests yields one
// computation per interval, and nothing is computed for workspaces nobody is watching.
import type { Hub } from './hub';

export class BalanceFeed {
  private pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly hub: Hub,
    private readonly compute: (wsId: string) => unknown,
    private readonly delayMs = 100,
  ) {}

  changed(wsId: string): void {
    if (this.pending.has(wsId) || this.hub.clientCount(wsId) === 0) return;
    const t = setTimeout(() => {
      this.pending.delete(wsId);
      this.hub.publish(wsId, 'balance', this.compute(wsId));
    }, this.delayMs);
    this.pending.set(wsId, t);
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
