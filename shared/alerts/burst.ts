// burst (a runaway loop): among the scope's events in [now − window, now], grouped by app, action or both
// (default app+action; no app is "(none)"), a group reaching `credits` credits or `calls` calls fires — once per
// group, keyed by the group, until it calms. Calm means no window-long span ending in the last full window
// reached half of either threshold; it is computed from the events themselves, so it holds however rarely
// evaluation runs, and a loop that merely slows down to just under the threshold stays one alert.
// Bursts are not tied to the cycle: a loop running across the reset is still the same loop.
import { roundCredits } from '../ledger/credits';
import { iso } from '../ledger/time';
import { NONE_KEY } from '../ledger/usage';
import type { AlertCondition } from '../schemas/alerts';
import type { StoredUsageEvent } from '../schemas/events';
import { fire } from './alert';
import { keep, resolve, type RuleCtx } from './context';
import { conditionKey, instanceKey, parseAlertKey, slotKey } from './keys';
import { credits } from './text';

type BurstCondition = Extract<AlertCondition, { type: 'burst' }>;
type By = NonNullable<BurstCondition['by']>;

/** The group of an event; app and action are joined by a space, which neither ids nor actions contain. */
export function burstGroup(by: By): (e: StoredUsageEvent) => string {
  if (by === 'app') return (e) => e.appId ?? NONE_KEY;
  if (by === 'action') return (e) => e.action;
  return (e) => `${e.appId ?? NONE_KEY} ${e.action}`;
}

/**
 * Whether any window-long span ending in [now − w, now] was hot, for events sorted by time. A span's sum only
 * rises where an event enters it, so the spans ending at now − w and at each event time in range are the
 * only ones to check.
 */
function warm(times: number[], costs: number[], w: number, now: number, hot: (credits: number, calls: number) => boolean): boolean {
  let lo = 0;
  let hi = 0;
  let sum = 0;
  for (const end of [now - w, ...times.filter((t) => t >= now - w)]) {
    while (hi < times.length && times[hi] <= end) sum += costs[hi++];
    while (lo < hi && times[lo] < end - w) sum -= costs[lo++];
    if (hot(roundCredits(sum), hi - lo)) return true;
  }
  return false;
}

/** A group's app (for the alert's appId) and how a title names it: "Core.InvokeLLM in app Shop". */
function describeGroup(by: By, g: string, apps: Map<string, string>): { app?: string; who: string } {
  const space = g.indexOf(' ');
  const [app, action] = by === 'app' ? [g, undefined] : by === 'action' ? [undefined, g] : [g.slice(0, space), g.slice(space + 1)];
  const known = app !== undefined && app !== NONE_KEY;
  const name = known ? (apps.get(app) ?? app) : undefined;
  const who =
    action === undefined ? (name !== undefined ? `App ${name}` : 'Calls without an app')
    : app === undefined ? action
    : name !== undefined ? `${action} in app ${name}`
    : `${action} (no app)`;
  return known ? { app, who } : { who };
}

export function evaluateBurst(c: RuleCtx, cond: BurstCondition): void {
  const { env, target } = c;
  const slot = slotKey(c.rule.id, target.scopeKey, conditionKey(cond));
  const previous = new Map(c.take(slot));
  const by = cond.by ?? 'app+action';
  const group = burstGroup(by);
  const w = cond.windowSeconds * 1000;
  const from = env.now - w;
  const fromIso = iso(from);

  // The last two windows of the scope's events: the current one fires, both together decide calm.
  const recent = env.index.since(iso(env.now - 2 * w)).filter(target.matches);
  const sums = new Map<string, { credits: number; calls: number; last: string }>();
  for (const e of recent) {
    if (e.at < fromIso) continue;
    const g = group(e);
    const s = sums.get(g);
    if (s) {
      s.credits += e.credits;
      s.calls++;
      if (e.at > s.last) s.last = e.at;
    } else sums.set(g, { credits: e.credits, calls: 1, last: e.at });
  }

  for (const g of [...sums.keys()].sort()) {
    const key = instanceKey(slot, g);
    if (previous.has(key)) continue;
    const sum = sums.get(g)!;
    const s = { credits: roundCredits(sum.credits), calls: sum.calls };
    const byCredits = cond.credits !== undefined && s.credits >= cond.credits;
    const byCalls = cond.calls !== undefined && s.calls >= cond.calls;
    if (!byCredits && !byCalls) continue;
    const { app, who } = describeGroup(by, g, env.names.apps);
    const secs = cond.windowSeconds;
    const limits = [cond.credits !== undefined && `${credits(cond.credits)} credits`, cond.calls !== undefined && `${cond.calls} calls`].filter((x) => x);
    const entry = fire(
      c,
      {
        key,
        condition: 'burst',
        threshold: byCredits ? cond.credits : cond.calls,
        // Credits are draining right now: a loop costs more with every minute nobody looks.
        severity: 'critical',
        title: byCredits
          ? `Runaway? ${who} spent ${credits(s.credits)} ${target.kind} credits in ${secs} s`
          : `Runaway? ${who} made ${s.calls} calls in ${secs} s`,
        lead: `${s.calls} call${s.calls === 1 ? '' : 's'} and ${credits(s.credits)} credits in the last ${secs} s (limit: ${limits.join(' or ')}).`,
        from,
        where: `in the last ${secs} s`,
        appId: app,
      },
      null,
    );
    entry[1].lastAt = sum.last;
    keep(c.out, entry);
  }

  // Groups alerted earlier: calm, or still warm.
  const halfCredits = cond.credits === undefined ? Infinity : cond.credits / 2;
  const halfCalls = cond.calls === undefined ? Infinity : cond.calls / 2;
  const hot = (cr: number, n: number) => cr >= halfCredits || n >= halfCalls;
  for (const [key, entry] of previous) {
    const g = parseAlertKey(key)?.instance;
    const mine = recent.filter((e) => group(e) === g).map((e) => ({ t: env.index.ms(e), credits: e.credits }));
    mine.sort((a, b) => a.t - b.t);
    if (!warm(mine.map((m) => m.t), mine.map((m) => m.credits), w, env.now, hot)) resolve(c.out, [key, entry], 'calm');
    // Warm needs at least one call, so `mine` is not empty here.
    else keep(c.out, [key, { ...entry, lastAt: iso(mine[mine.length - 1].t) }]);
  }
}
