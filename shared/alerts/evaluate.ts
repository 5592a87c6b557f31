// evaluateAlerts: one pass over every enabled rule × target × condition, threading the persisted state. Each
// condition reads the previous entries of its slots and writes the entries that stay; whatever slot nobody
// visited belongs to a rule that is gone, disabled or edited, or to a scope that no longer exists (a pool that
// disappeared, a budget removed): its active alerts resolve as 'rule_removed' — or 'cycle_reset' when the entry
// is from a past cycle anyway.
import { cycleAt } from '../ledger/cycles';
import { DAY_MS, iso } from '../ledger/time';
import type { AlertCondition, AlertRule } from '../schemas/alerts';
import { DEFAULT_TRAILING_DAYS, evaluateAnomaly } from './anomaly';
import { evaluateBurst } from './burst';
import { resolve, type Entry, type Env, type Out, type RuleCtx } from './context';
import { zonedDays } from './days';
import { eventIndex } from './events';
import { conditionKey, parseAlertKey, slotOf } from './keys';
import { evaluateRunout } from './runout';
import { targetsFor, type Names } from './targets';
import { evaluateThresholds } from './thresholds';
import type { EvaluateInput, EvaluateResult } from './types';

/** The earliest instant any enabled rule looks at, so the event walk keeps nothing older. */
function earliestNeeded(rules: AlertRule[], now: number, cycleStart: number, dayStart: number | undefined): number {
  let from = now - DAY_MS; // the 24 h window of threshold and forecast alerts
  if (dayStart !== undefined) from = Math.min(from, dayStart);
  for (const r of rules) {
    // Budgets are summed over the cycle and their rate over the last 7 days.
    if (r.scope.type === 'app' || r.scope.type === 'member') from = Math.min(from, cycleStart, now - 7 * DAY_MS);
    for (const c of r.conditions) if (c.type === 'burst') from = Math.min(from, now - 2 * c.windowSeconds * 1000);
  }
  return from;
}

/**
 * A rule's conditions with one percent_used and one remaining_below (thresholds united) and no duplicates: two
 * conditions sharing a slot would each see it empty and fire on every call.
 */
function distinct(conditions: AlertCondition[]): AlertCondition[] {
  const out: AlertCondition[] = [];
  const byKey = new Map<string, AlertCondition>();
  for (const c of conditions) {
    const key = c.type === 'percent_used' || c.type === 'remaining_below' ? c.type : conditionKey(c);
    const same = byKey.get(key);
    if (!same) {
      const copy = 'thresholds' in c ? { ...c, thresholds: [...c.thresholds] } : c;
      byKey.set(key, copy);
      out.push(copy);
    } else if ('thresholds' in same && 'thresholds' in c) same.thresholds.push(...c.thresholds);
  }
  return out;
}

export function evaluateAlerts(input: EvaluateInput): EvaluateResult {
  const { now } = input;
  const timezone = input.timezone ?? 'UTC';
  const rules = input.rules.filter((r) => r.enabled !== false);
  const cycle = cycleAt(input.cycleAnchor, now);
  const trailing = Math.max(0, ...rules.flatMap((r) => r.conditions.map((c) => (c.type === 'daily_anomaly' ? (c.trailingDays ?? DEFAULT_TRAILING_DAYS) : 0))));
  const days = trailing > 0 ? zonedDays(now, timezone, trailing) : undefined;
  const nowIso = iso(now);
  const index = eventIndex(input.events, iso(earliestNeeded(rules, now, cycle.start, days?.starts[0])), nowIso);

  const names: Names = {
    apps: new Map(input.apps.filter((a) => a.name !== undefined).map((a) => [a.id, a.name!])),
    members: new Map(input.members.map((m) => [m.id, m.name])),
  };
  const env: Env = { now, nowIso, timezone, index, names, newId: input.newId, days };
  const out: Out = { fired: [], resolved: [], entries: {} };

  const slots = new Map<string, Entry[]>();
  for (const [key, entry] of Object.entries(input.state.entries)) {
    const slot = slotOf(key);
    const list = slots.get(slot);
    if (list) list.push([key, entry]);
    else slots.set(slot, [[key, entry]]);
  }
  const take = (slot: string): Entry[] => {
    const list = slots.get(slot) ?? [];
    slots.delete(slot);
    return list;
  };

  const targetEnv = { balances: input.balances, apps: new Map(input.apps.map((a) => [a.id, a])), names, cycle, now, index, router: input.router };
  for (const rule of rules) {
    const conditions = distinct(rule.conditions);
    for (const target of targetsFor(rule.scope, targetEnv)) {
      const c: RuleCtx = { env, rule, target, out, take };
      for (const cond of conditions) {
        switch (cond.type) {
          case 'percent_used':
          case 'remaining_below':
            evaluateThresholds(c, cond);
            break;
          case 'forecast_runout':
            evaluateRunout(c, cond);
            break;
          case 'burst':
            evaluateBurst(c, cond);
            break;
          case 'daily_anomaly':
            evaluateAnomaly(c, cond);
            break;
        }
      }
    }
  }

  const live = new Set(rules.map((r) => r.id));
  const cycleStartIso = iso(cycle.start);
  for (const key of [...slots.values()].flat().map(([k]) => k).sort()) {
    const entry = input.state.entries[key];
    const ruleId = parseAlertKey(key)?.ruleId;
    const because = ruleId !== undefined && live.has(ruleId) && entry.cycleStart < cycleStartIso ? 'cycle_reset' : 'rule_removed';
    resolve(out, [key, entry], because);
  }
  return { fired: out.fired, resolved: out.resolved, state: { entries: out.entries } };
}
