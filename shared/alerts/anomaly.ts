// daily_anomaly: today's credits of the scope (calendar day in the workspace's zone, so far) above factor × the
// median of the trailing days (default 7; a day without usage counts as 0) and at least minCredits (default 10,
// so a quiet workspace's 3 credits against a median of 0.5 stay quiet). The median, not the mean, so one past
// spike does not hide the next. Fires at most once per day per scope (the day is the key's instance) and
// resolves as 'calm' once that day is over. Not tied to the cycle: a day is its own window.
import { roundCredits } from '../ledger/credits';
import type { AlertCondition } from '../schemas/alerts';
import { fire } from './alert';
import { currentEntry, keep, type RuleCtx } from './context';
import { dayIndex } from './days';
import { conditionKey, instanceKey, slotKey } from './keys';
import { credits, day } from './text';

type AnomalyCondition = Extract<AlertCondition, { type: 'daily_anomaly' }>;

export const DEFAULT_TRAILING_DAYS = 7;
export const DEFAULT_MIN_CREDITS = 10;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function evaluateAnomaly(c: RuleCtx, cond: AnomalyCondition): void {
  const { env, target } = c;
  const days = env.days!;
  const n = cond.trailingDays ?? DEFAULT_TRAILING_DAYS;
  // env.days holds the longest trailing period any rule asked for; this rule uses its last n days and today.
  const starts = days.startIsos.slice(days.startIsos.length - 1 - n);
  const slot = slotKey(c.rule.id, target.scopeKey, conditionKey(cond));
  const current = currentEntry(c, slot, days.key, 'calm');
  if (current) {
    keep(c.out, current);
    return;
  }

  const perDay = new Array<number>(n + 1).fill(0);
  for (const e of env.index.since(starts[0])) {
    if (target.matches(e)) perDay[dayIndex(starts, e.at)] += e.credits;
  }
  const today = roundCredits(perDay[n]);
  const usual = roundCredits(median(perDay.slice(0, n)));
  const limit = roundCredits(cond.factor * usual);
  if (!(today > limit && today >= (cond.minCredits ?? DEFAULT_MIN_CREDITS))) return;

  const entry = fire(
    c,
    {
      key: instanceKey(slot, days.key),
      condition: 'daily_anomaly',
      threshold: limit,
      severity: 'warning',
      title: `${target.subject}: ${credits(today)} today, ${usual > 0 ? `${credits(roundCredits(today / usual, 1))}× the usual` : 'usually none'}`,
      lead: `So far today (${day(env.now, env.timezone)}): ${credits(today)} credits; the median of the previous ${n} days is ${credits(usual)} a day.`,
      from: days.starts[days.starts.length - 1],
      where: 'today',
    },
    null,
  );
  keep(c.out, entry);
}
