// Building a fired alert: the fields every condition shares (rule, scope ids, pool figures, window, top lists,
// texts), so each evaluator only says what is particular to it.
import { iso } from '../ledger/time';
import type { Alert } from '../schemas/alerts';
import type { Entry, RuleCtx } from './context';
import { figuresText, topText } from './text';
import { topOf } from './top';

export interface AlertSpec {
  key: string;
  condition: Alert['condition'];
  threshold?: number;
  severity: Alert['severity'];
  title: string;
  /** Condition-specific sentence put before the figures. */
  lead?: string;
  /** The window that led to the alert, epoch ms; it ends now. */
  from: number;
  /** How the top sentence names the window: "in the last 24 h", "today". */
  where: string;
  /** Overrides the target's app (a burst group's app). */
  appId?: string;
}

/** Builds the alert, adds it to the output and returns the state entry that marks it active. */
export function fire(c: RuleCtx, spec: AlertSpec, level: number | null): Entry {
  const { env, rule, target } = c;
  const fromIso = iso(spec.from);
  const top = topOf(env.index.since(fromIso).filter(target.matches), env.names);
  const f = target.figures;
  const detail = [spec.lead, f && figuresText(f, target.budget, env.now, env.timezone), topText(top, spec.where)];
  const alert: Alert = {
    id: env.newId(),
    ruleId: rule.id,
    ruleName: rule.name,
    key: spec.key,
    kind: target.kind,
    condition: spec.condition,
    severity: spec.severity,
    title: spec.title,
    detail: detail.filter((s) => s).join(' '),
    window: { from: fromIso, to: env.nowIso },
    top,
    firedAt: env.nowIso,
    acks: [],
    snoozes: [],
  };
  if (target.holder !== undefined) alert.holder = target.holder;
  const appId = spec.appId ?? target.appId;
  if (appId !== undefined) alert.appId = appId;
  if (target.memberId !== undefined) alert.memberId = target.memberId;
  if (spec.threshold !== undefined) alert.threshold = spec.threshold;
  if (f) {
    alert.pool = { remaining: f.remaining, limit: f.limit, used: f.used, exact: f.exact, resetAt: f.cycleEnd, forecast: { ...f.forecast } };
  }
  c.out.fired.push(alert);
  return [spec.key, { cycleStart: target.cycleStart, level, alertId: alert.id, firedAt: env.nowIso }];
}
