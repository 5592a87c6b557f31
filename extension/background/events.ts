// From a content script's call report to a usage event: the price table fills in estimated credits, and the
// local views (last flow per app, recent events, the out-of-credits flag) are updated with it.
import { priceFor, type PriceOverride } from '../../shared/ledger/prices';
import type { CallReport } from '../../shared/messages';
import type { UsageEvent } from '../../shared/schemas/events';
import type { Flow, RecentEvent } from '../utils/storage';

export function toUsageEvent(r: CallReport, prices: Record<string, PriceOverride | null>): UsageEvent {
  const known = r.credits !== null;
  return {
    id: r.id,
    at: r.at,
    kind: 'integration',
    credits: known ? r.credits! : priceFor(r.action, prices).credits,
    exact: known && r.exact,
    action: r.action,
    ...(r.appId ? { appId: r.appId } : {}),
    context: r.context,
    outcome: r.outcome,
    flowId: r.flowId,
  };
}

const MAX_FLOWS = 20;
const MAX_RECENT = 50;
const MAX_CALLS_PER_FLOW = 100;

/** Adds calls to their flows (newest flow first, one list across apps). */
export function addToFlows(flows: Flow[], events: UsageEvent[], repeats: Set<string>): Flow[] {
  const out = flows.map((f) => ({ ...f, calls: [...f.calls] }));
  for (const e of events) {
    let f = out.find((x) => x.flowId === e.flowId);
    if (!f) {
      f = { flowId: e.flowId!, appId: e.appId, at: e.at, calls: [] };
      out.unshift(f);
    }
    const call = { action: e.action, credits: e.credits, exact: e.exact, outcome: e.outcome, repeat: repeats.has(e.id) };
    // A runaway flow would grow without end (and be rewritten on every batch): past the cap, a call's credits
    // join the last entry of the same action, so the flow's total stays right while its size stays bounded.
    const same = f.calls.length >= MAX_CALLS_PER_FLOW ? [...f.calls].reverse().find((c) => c.action === call.action && c.outcome === call.outcome) : undefined;
    if (same) {
      same.credits = Math.round((same.credits + call.credits) * 1000) / 1000;
      same.exact &&= call.exact;
    } else f.calls.push(call);
  }
  return out.slice(0, MAX_FLOWS);
}

/** Newest first, each id once. */
export function addToRecent(recent: RecentEvent[], events: RecentEvent[]): RecentEvent[] {
  const byId = new Map(recent.map((e) => [e.id, e]));
  for (const e of events) byId.set(e.id, { ...byId.get(e.id), ...e });
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, MAX_RECENT);
}
