// percent_used and remaining_below: each threshold fires once per cycle. Thresholds crossed in one step collapse
// into one alert for the most severe (the others are stored as fired without an alert, so they stay quiet).
// An alert resolves only when the balance is clearly back — percent used ≤ threshold − 5 points, or remaining
// ≥ threshold × 1.1 + 1 — and its threshold then re-arms. Between the threshold and that band nothing happens,
// so a balance wobbling around a threshold (estimates corrected by readings) does not flap.
import { roundCredits } from '../ledger/credits';
import { DAY_MS } from '../ledger/time';
import type { AlertCondition } from '../schemas/alerts';
import { fire } from './alert';
import { currentEntry, keep, resolve, type Entry, type RuleCtx } from './context';
import { conditionKey, instanceKey, slotKey } from './keys';
import { credits } from './text';

type ThresholdCondition = Extract<AlertCondition, { type: 'percent_used' | 'remaining_below' }>;

/** Percentage points below a percent_used threshold before its alert resolves. */
export const PERCENT_BAND = 5;
/** remaining_below resolves at threshold × RATIO + MARGIN (the margin matters for small thresholds). */
export const REMAINING_RATIO = 1.1;
export const REMAINING_MARGIN = 1;

export function evaluateThresholds(c: RuleCtx, cond: ThresholdCondition): void {
  const f = c.target.figures;
  const percent = cond.type === 'percent_used';
  // A pool with no allowance has no meaningful percentage; remaining_below still applies to it.
  if (!f || (percent && !(f.limit > 0))) return;
  // Rounded so 0.1-credit sums do not land a hair under a threshold they reached.
  const value = percent ? roundCredits((f.used / f.limit) * 100, 6) : f.remaining;
  const crossed = (t: number) => (percent ? value >= t : value <= t);
  // Rounded: 100 × 1.1 is 110.00000000000001 in binary floating point, and 111 left must count as recovered.
  const recovered = (t: number) => (percent ? value <= t - PERCENT_BAND : value >= roundCredits(t * REMAINING_RATIO + REMAINING_MARGIN));
  const list = [...new Set(cond.thresholds)].sort((a, b) => a - b);
  const worst = percent ? list[list.length - 1] : list[0];

  const fresh: number[] = [];
  const slots = new Map<number, string>();
  for (const t of list) {
    const slot = slotKey(c.rule.id, c.target.scopeKey, conditionKey(cond, t));
    slots.set(t, slot);
    const current = currentEntry(c, slot, f.cycleStart, 'cycle_reset');
    if (!current) {
      if (crossed(t)) fresh.push(t);
    } else if (recovered(t)) resolve(c.out, current, 'recovered');
    else keep(c.out, current);
  }
  if (!fresh.length) return;

  const t = percent ? Math.max(...fresh) : Math.min(...fresh);
  for (const other of fresh) {
    if (other !== t) keep(c.out, [instanceKey(slots.get(other)!, f.cycleStart), { cycleStart: f.cycleStart, level: other, firedAt: c.env.nowIso }]);
  }
  const title = percent
    ? `${c.target.subject} ${Math.floor(value)}% used`
    : `${c.target.subject}: ${credits(f.remaining)} left (below ${credits(t)})`;
  const entry: Entry = fire(
    c,
    {
      key: instanceKey(slots.get(t)!, f.cycleStart),
      condition: cond.type,
      threshold: t,
      severity: t === worst ? 'critical' : 'warning',
      title,
      from: c.env.now - DAY_MS,
      where: 'in the last 24 h',
    },
    t,
  );
  keep(c.out, entry);
}
