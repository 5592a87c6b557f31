// What every condition evaluator works with: the call's environment, the rule and target at hand, the previous
// state entries of a slot, and the output being collected (fired alerts, resolutions, the next state).
import type { AlertRule } from '../schemas/alerts';
import type { Days } from './days';
import type { EventIndex } from './events';
import { instanceKey } from './keys';
import type { Names, Target } from './targets';
import type { AlertStateEntry, EvaluateResult, Resolution } from './types';

export interface Env {
  now: number;
  nowIso: string;
  timezone: string;
  index: EventIndex;
  names: Names;
  newId: () => string;
  /** Calendar days for daily_anomaly, as many trailing days as the longest rule asks for. */
  days?: Days;
}

export interface Out {
  fired: EvaluateResult['fired'];
  resolved: Resolution[];
  entries: Record<string, AlertStateEntry>;
}

export type Entry = [key: string, entry: AlertStateEntry];

export interface RuleCtx {
  env: Env;
  rule: AlertRule;
  target: Target;
  out: Out;
  /** The previous entries of a slot; the slot counts as visited, so its entries are not swept as removed. */
  take(slot: string): Entry[];
}

export function keep(out: Out, [key, entry]: Entry): void {
  out.entries[key] = entry;
}

/** Drops an entry; if it carries an active alert, that alert resolves. */
export function resolve(out: Out, [key, entry]: Entry, because: Resolution['because']): void {
  if (entry.alertId !== undefined) out.resolved.push({ alertId: entry.alertId, key, because });
}

/**
 * The slot's entry for `instance` (this cycle, this day), if any. Entries of other instances are over: they
 * resolve with `because` (cycle_reset for cycles, calm for days) and are dropped.
 */
export function currentEntry(c: RuleCtx, slot: string, instance: string, because: Resolution['because']): Entry | undefined {
  const key = instanceKey(slot, instance);
  let current: Entry | undefined;
  for (const e of c.take(slot)) {
    if (e[0] === key) current = e;
    else resolve(c.out, e, because);
  }
  return current;
}
