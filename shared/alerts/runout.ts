// forecast_runout: the burn rate empties the balance at least leadDays before the reset. Fires once per cycle;
// resolves when the forecast run-out moves clearly past that deadline — more than RUNOUT_BAND (12 h) after it,
// or no run-out at all (a top-up, a reading, a quieter week) — and then re-arms. A forecast is a rate over seven
// days, so it drifts by hours with every event; the band keeps that drift from resolving and re-firing.
import { DAY_MS, HOUR_MS, toMs } from '../ledger/time';
import type { AlertCondition } from '../schemas/alerts';
import { fire } from './alert';
import { currentEntry, keep, resolve, type RuleCtx } from './context';
import { conditionKey, instanceKey, slotKey } from './keys';

type RunoutCondition = Extract<AlertCondition, { type: 'forecast_runout' }>;

export const RUNOUT_BAND = 12 * HOUR_MS;

export function evaluateRunout(c: RuleCtx, cond: RunoutCondition): void {
  const f = c.target.figures;
  if (!f) return;
  const slot = slotKey(c.rule.id, c.target.scopeKey, conditionKey(cond));
  const current = currentEntry(c, slot, f.cycleStart, 'cycle_reset');
  const deadline = toMs(f.cycleEnd) - cond.leadDays * DAY_MS;
  const runOut = f.forecast.runOutAt === undefined ? undefined : toMs(f.forecast.runOutAt);

  if (current) {
    if (runOut === undefined || runOut > deadline + RUNOUT_BAND) resolve(c.out, current, 'recovered');
    else keep(c.out, current);
    return;
  }
  if (runOut === undefined || runOut > deadline) return;

  const { subject, budget } = c.target;
  const verb = budget ? 'runs' : 'run';
  const title =
    f.remaining <= 0 ? `${subject}: none left until the reset`
    : cond.leadDays > 0 ? `${subject} ${verb} out ${cond.leadDays}+ day${cond.leadDays === 1 ? '' : 's'} before the reset`
    : `${subject} ${verb} out before the reset`;
  const entry = fire(
    c,
    {
      key: instanceKey(slot, f.cycleStart),
      condition: 'forecast_runout',
      threshold: cond.leadDays,
      // Already empty is the emergency; a forecast is a warning that leaves time to act.
      severity: f.remaining <= 0 ? 'critical' : 'warning',
      title,
      from: c.env.now - DAY_MS,
      where: 'in the last 24 h',
    },
    cond.leadDays,
  );
  keep(c.out, entry);
}
