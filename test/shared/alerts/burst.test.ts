import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/alerts';
import type { AlertCondition } from '../../../shared/schemas/alerts';
import type { StoredUsageEvent } from '../../../shared/schemas/events';
import { ev, input, NOW, pool, rule, run, SEC, summary } from './fixtures';

type Step = [fired: string[], resolved: string[]];
const quiet: Step = [[], []];
const BURST: AlertCondition = { type: 'burst', credits: 20, calls: 30, windowSeconds: 60 };
const t = (s: number) => new Date(NOW + s * SEC).toISOString();
/** n calls of `credits` each, one per second ending at second `end` (relative to NOW). */
const calls = (n: number, credits: number, end: number, more: Partial<StoredUsageEvent> = {}) =>
  Array.from({ length: n }, (_, i) => ev(t(end - i), credits, { appId: 'app1', ...more }));

const fire = (group: string): Step => [[`burst:app+action:60s:20cr:30calls [${group}] critical`], []];

describe('burst: what fires', () => {
  it.each<[string, AlertCondition, StoredUsageEvent[], string[]]>([
    ['20 credits by one app+action within 60 s', BURST, calls(20, 1, 0), ['app1 Core.InvokeLLM']],
    ['19.9 credits: nothing', BURST, [...calls(19, 1, 0), ...calls(1, 0.9, -30)], []],
    ['30 free calls', BURST, calls(30, 0, 0), ['app1 Core.InvokeLLM']],
    ['29 free calls: nothing', BURST, calls(29, 0, 0), []],
    ['the window includes now − 60 s', BURST, [ev(t(-60), 20, { appId: 'app1' })], ['app1 Core.InvokeLLM']],
    ['but not a millisecond earlier', BURST, [ev(new Date(NOW - 60_001).toISOString(), 20, { appId: 'app1' })], []],
    ['events after now do not count', BURST, [ev(t(1), 20, { appId: 'app1' })], []],
    ['two apps with 10 each: no group reaches 20', BURST, [...calls(10, 1, 0), ...calls(10, 1, 0, { appId: 'app2' })], []],
    ['grouped by action, the same two apps fire', { ...BURST, by: 'action' }, [...calls(10, 1, 0), ...calls(10, 1, 0, { appId: 'app2' })], ['Core.InvokeLLM']],
    ['grouped by app, two actions of one app add up', { ...BURST, by: 'app' }, [...calls(10, 1, 0), ...calls(10, 1, 0, { action: 'Core.SendEmail' })], ['app1']],
    ['events without an app group as (none)', { ...BURST, by: 'app' }, calls(20, 1, 0, { appId: undefined }), ['(none)']],
    ['several groups fire in group order', BURST, [...calls(20, 1, 0, { appId: 'app2' }), ...calls(20, 1, 0, { action: 'Core.SendEmail' })], ['app1 Core.SendEmail', 'app2 Core.InvokeLLM']],
    ['only credits given: calls do not fire', { type: 'burst', credits: 20, windowSeconds: 60 }, calls(100, 0, 0), []],
    ['only calls given', { type: 'burst', calls: 5, windowSeconds: 10 }, calls(5, 0, 0), ['app1 Core.InvokeLLM']],
    ['message events are not in an integration pool', BURST, calls(20, 1, 0, { kind: 'message' }), []],
  ])('%s', (_what, cond, events, groups) => {
    const r = evaluateAlerts(input({ rules: [rule('r1', { type: 'pools' }, [cond])], balances: [pool('integration', 'workspace', 0, { limit: 10000 })], events }));
    expect(r.fired.map((a) => a.key.slice(a.key.lastIndexOf('|') + 1))).toEqual(groups);
  });
});

describe('burst: once per group until calm', () => {
  // Steps: [seconds after NOW, events added at that step]; events accumulate.
  it.each<[string, [number, StoredUsageEvent[]][], Step[]]>([
    ['fires once while hot; calm after a full window below half; then fires again', [
      [0, calls(25, 1, 0)],
      [30, []], // the burst is still in the window: no second alert
      [65, []], // the window ending at now − 60 s still holds it
      [111, []], // the span ending at 51 s still holds the calls of seconds −9…0: 10 credits, half the threshold
      [112, []], // every span ending in [52, 112] holds fewer than 10: calm
      [200, calls(20, 1, 200)],
    ], [fire('app1 Core.InvokeLLM'), quiet, quiet, quiet, [[], ['burst:app+action:60s:20cr:30calls [app1 Core.InvokeLLM] calm']], fire('app1 Core.InvokeLLM')]],
    ['a loop that slows to just under the threshold stays one alert (half or more is not calm)', [
      [0, calls(20, 1, 0)],
      [60, calls(10, 1, 60)],
      [120, calls(10, 1, 120)],
      [240, []],
    ], [fire('app1 Core.InvokeLLM'), quiet, quiet, [[], ['burst:app+action:60s:20cr:30calls [app1 Core.InvokeLLM] calm']]]],
    ['below half for a full window calms even with some traffic', [
      [0, calls(20, 1, 0)],
      [100, calls(9, 1, 100)],
      [161, []],
    ], [fire('app1 Core.InvokeLLM'), quiet, [[], ['burst:app+action:60s:20cr:30calls [app1 Core.InvokeLLM] calm']]]],
    ['groups are independent', [
      [0, calls(20, 1, 0)],
      [30, calls(20, 1, 30, { appId: 'app2' })],
      [121, []],
    ], [fire('app1 Core.InvokeLLM'), fire('app2 Core.InvokeLLM'), [[], ['burst:app+action:60s:20cr:30calls [app1 Core.InvokeLLM] calm']]]],
  ])('%s', (_what, steps, expected) => {
    const rules = [rule('r1', { type: 'pools' }, [BURST])];
    const events: StoredUsageEvent[] = [];
    const inputs = steps.map(([s, added]) => {
      events.push(...added);
      return { now: NOW + s * SEC, events: [...events], balances: [pool('integration', 'workspace', 0, { limit: 10000 })] };
    });
    expect(summary(run({ rules }, inputs).results)).toEqual(expected);
  });

  it('keeps lastAt at the group\'s latest call', () => {
    const rules = [rule('r1', { type: 'pools' }, [BURST])];
    const balances = [pool('integration', 'workspace', 0, { limit: 10000 })];
    const first = calls(25, 1, -5);
    const { results, state } = run({ rules, balances }, [{ events: first }, { now: NOW + 90 * SEC, events: [...first, ...calls(3, 1, 80)] }]);
    expect(results[0].state.entries).toEqual({
      'r1|pool:integration:workspace|burst:app+action:60s:20cr:30calls|app1 Core.InvokeLLM':
        { cycleStart: '2026-03-01T00:00:00.000Z', level: null, alertId: 'al-1', firedAt: '2026-03-20T12:00:00.000Z', lastAt: '2026-03-20T11:59:55.000Z' },
    });
    expect(Object.values(state.entries)).toEqual([
      { cycleStart: '2026-03-01T00:00:00.000Z', level: null, alertId: 'al-1', firedAt: '2026-03-20T12:00:00.000Z', lastAt: '2026-03-20T12:01:20.000Z' },
    ]);
  });
});
