// Builders for alert tests: pools, rules, inputs, and a runner that threads the state through a sequence of
// evaluations and reduces each one to short strings a table row can spell out.
import { evaluateAlerts, parseAlertKey, type AlertState, type EvaluateInput, type EvaluateResult } from '../../../shared/alerts';
import type { AlertCondition, AlertRule, AlertScope } from '../../../shared/schemas/alerts';
import type { PoolBalance } from '../../../shared/schemas/balance';

export { ev, ms, msg } from '../ledger/fixtures';

/** Cycles start on the 1st at 00:00 UTC; NOW is in the March 2026 cycle. */
export const ANCHOR = '2026-01-01T00:00:00Z';
export const NOW = Date.parse('2026-03-20T12:00:00Z');
export const MARCH = { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' };
export const APRIL = { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' };
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function pool(kind: PoolBalance['kind'], holder: string, used: number, more: Partial<PoolBalance> = {}): PoolBalance {
  const limit = more.limit ?? 100;
  return {
    kind,
    holder,
    limit,
    used,
    remaining: Math.max(0, limit - used),
    exact: true,
    cycle: MARCH,
    forecast: { perDay: 0, beforeReset: false },
    ...more,
  };
}

export function rule(id: string, scope: AlertScope, conditions: AlertCondition[], more: Partial<AlertRule> = {}): AlertRule {
  return { id, name: `rule ${id}`, enabled: true, createdAt: '2026-01-01T00:00:00Z', scope, conditions, ...more };
}

export function ids(prefix = 'al'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export function input(more: Partial<EvaluateInput> = {}): EvaluateInput {
  return {
    rules: [],
    balances: [],
    events: [],
    apps: [{ id: 'app1', name: 'Shop' }, { id: 'app2' }],
    members: [{ id: 'ann', name: 'Ann' }, { id: 'bob', name: 'Bob' }],
    cycleAnchor: ANCHOR,
    state: { entries: {} },
    now: NOW,
    newId: ids(),
    ...more,
  };
}

/** "percent_used:80 critical" — the condition part of the key, the instance when it is not a cycle, the severity. */
export const firedText = (r: EvaluateResult): string[] =>
  r.fired.map((a) => {
    const k = parseAlertKey(a.key)!;
    return `${k.condition}${k.instance.endsWith('Z') ? '' : ` [${k.instance}]`} ${a.severity}`;
  });

/** "percent_used:80 recovered" */
export const resolvedText = (r: EvaluateResult): string[] =>
  r.resolved.map((x) => {
    const k = parseAlertKey(x.key)!;
    return `${k.condition}${k.instance.endsWith('Z') ? '' : ` [${k.instance}]`} ${x.because}`;
  });

/** Runs the steps in order, each with the state the previous one returned; one newId across all steps. */
export function run(base: Partial<EvaluateInput>, steps: Partial<EvaluateInput>[]): { results: EvaluateResult[]; state: AlertState } {
  let state: AlertState = base.state ?? { entries: {} };
  const newId = ids();
  const results: EvaluateResult[] = [];
  for (const step of steps) {
    const r = evaluateAlerts(input({ ...base, newId, ...step, state }));
    // The server stores the state as JSON: every step goes through that round trip.
    state = JSON.parse(JSON.stringify(r.state));
    results.push(r);
  }
  return { results, state };
}

/** Both lists of every step: [[fired...], [resolved...]] per step. */
export const summary = (results: EvaluateResult[]): [string[], string[]][] => results.map((r) => [firedText(r), resolvedText(r)]);
