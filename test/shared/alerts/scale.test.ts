// 100k events: evaluation after every ingest must stay a single walk over the events. No timing here (shared
// machines), only that the answers at that size are right and do not depend on event order.
import { describe, expect, it } from 'vitest';
import { defaultAlertRules, evaluateAlerts, type EvaluateInput } from '../../../shared/alerts';
import { computeBalances } from '../../../shared/ledger/balance';
import type { AlertRule } from '../../../shared/schemas/alerts';
import type { StoredUsageEvent } from '../../../shared/schemas/events';
import { ANCHOR, ev, ids, input, NOW, rule, SEC } from './fixtures';

const N = 100_000;
const FROM = Date.parse('2026-02-20T00:00:00Z');
const TO = Date.parse('2026-03-20T11:00:00Z'); // the last hour is left to the injected loop
const ACTIONS = ['Core.InvokeLLM', 'Core.SendEmail', 'connector:x'];

function background(): StoredUsageEvent[] {
  const step = (TO - FROM) / N;
  return Array.from({ length: N }, (_, i) => {
    const at = new Date(FROM + Math.floor(i * step)).toISOString();
    return ev(at, 0.5, {
      id: `bg-${String(i).padStart(6, '0')}`,
      kind: i % 5 === 0 ? 'message' : 'integration',
      appId: `app${i % 20}`,
      memberId: `m${i % 10}`,
      action: ACTIONS[i % 3],
    });
  });
}

const loop = Array.from({ length: 25 }, (_, i) => ev(new Date(NOW - i * 2 * SEC).toISOString(), 2, { id: `loop-${String(i).padStart(4, '0')}`, appId: 'loop', action: 'Core.InvokeLLM', memberId: 'm1' }));
const events = [...background(), ...loop];

const rules: AlertRule[] = [
  ...defaultAlertRules().map((b, i) => ({ ...b, id: `d${i}`, enabled: true, createdAt: ANCHOR })),
  rule('app1', { type: 'app', appId: 'app1', kind: 'integration' }, [{ type: 'percent_used', thresholds: [50, 80, 95] }]),
  rule('m2', { type: 'member', memberId: 'm2', kind: 'message', budget: 2000 }, [{ type: 'remaining_below', thresholds: [1000, 100] }]),
  rule('anom', { type: 'pools' }, [{ type: 'daily_anomaly', factor: 3 }]),
  rule('loop', { type: 'app', appId: 'loop', kind: 'integration' }, [{ type: 'daily_anomaly', factor: 3 }]),
];

const cycleStart = Date.parse('2026-03-01T00:00:00Z');
/** What a naive pass (parse every event) says a scope used this cycle. */
const naiveUsed = (keep: (e: StoredUsageEvent) => boolean) =>
  events.reduce((s, e) => (Date.parse(e.at) >= cycleStart && Date.parse(e.at) <= NOW && keep(e) ? s + e.credits : s), 0);

function evaluate(list: StoredUsageEvent[]): ReturnType<typeof evaluateAlerts> {
  const ledger = {
    workspace: { billingModel: 'pool' as const, plan: 'custom' as const, limits: { message: 10000, integration: 40000 }, cycleAnchor: ANCHOR },
    members: [], apps: [], grants: [], readings: [], events: list, now: NOW,
  };
  const more: Partial<EvaluateInput> = {
    rules,
    balances: computeBalances(ledger),
    events: list,
    apps: [{ id: 'app1', name: 'One', budget: { integration: 2000 } }, { id: 'loop', name: 'Loop' }],
    newId: ids(),
  };
  return evaluateAlerts(input(more));
}

describe('100k events', () => {
  const result = evaluate(events);

  it('fires exactly the expected alerts', () => {
    const c = '2026-03-01T00:00:00.000Z';
    expect(result.fired.map((a) => [a.key, a.severity])).toEqual([
      // Pools: message 6,837 of 10,000 (68%), integration 27,400 of 40,000 (68.5%); at their rates both run out Mar 29.
      [`d0|pool:message:workspace|percent_used:50|${c}`, 'warning'],
      [`d0|pool:integration:workspace|percent_used:50|${c}`, 'warning'],
      [`d1|pool:message:workspace|forecast_runout:0d|${c}`, 'warning'],
      [`d1|pool:integration:workspace|forecast_runout:0d|${c}`, 'warning'],
      ['d2|pool:integration:workspace|burst:app+action:60s:20cr:30calls|loop Core.InvokeLLM', 'critical'],
      // app1: 1,709 of its 2,000 budget (85.5%): 50 and 80 crossed together → one alert for 80.
      [`app1|app:integration:app1|percent_used:80|${c}`, 'warning'],
      // m2's message credits: 0 (message events are every 5th; m2 is every 10th from 2: never both).
      // Pools' days are even (≈1,800 credits a day); the loop is the only usage of app "loop" in a week.
      ['loop|app:integration:loop|daily_anomaly:3x:7d:10min|2026-03-20', 'warning'],
    ]);
  });

  it('sums budgets like a naive pass over every event', () => {
    const app1 = result.fired.find((a) => a.ruleId === 'app1')!;
    const used = naiveUsed((e) => e.kind === 'integration' && e.appId === 'app1');
    expect(app1.pool!.used).toBe(Math.round(used * 1e4) / 1e4);
    expect(app1.pool!.used).toBe(1709);
    const pools = result.fired.filter((a) => a.ruleId === 'd0').map((a) => [a.kind, a.pool!.used]);
    expect(pools).toEqual([['message', naiveUsed((e) => e.kind === 'message')], ['integration', naiveUsed((e) => e.kind === 'integration')]]);
  });

  it('tops the burst alert with the loop and nothing else of its window', () => {
    const burst = result.fired.find((a) => a.condition === 'burst')!;
    expect(burst.top).toEqual({
      apps: [{ key: 'loop', credits: 50, calls: 25, label: 'Loop' }],
      members: [{ key: 'm1', credits: 50, calls: 25 }],
      actions: [{ key: 'Core.InvokeLLM', credits: 50, calls: 25 }],
    });
  });

  it('does not depend on the order of events', () => {
    expect(evaluate([...events].reverse())).toEqual(result);
  });
});

describe('event times', () => {
  it('reads an event stored in another ISO form at its instant', () => {
    const burst = rule('b', { type: 'pools' }, [{ type: 'burst', credits: 20, windowSeconds: 60 }]);
    const r = evaluateAlerts(input({
      rules: [burst],
      balances: [{ kind: 'integration', holder: 'workspace', limit: 1, used: 0, remaining: 1, exact: true, cycle: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, forecast: { perDay: 0, beforeReset: false } }],
      events: [ev('2026-03-20T13:00:00+01:00', 20, { appId: 'app1' }), ev('2026-03-20T12:00:01+00:00', 50, { appId: 'app2' })],
    }));
    // 12:00:00Z is now (in the window); 12:00:01Z is in the future.
    expect(r.fired.map((a) => [a.appId, a.window.to])).toEqual([['app1', '2026-03-20T12:00:00.000Z']]);
  });
});
