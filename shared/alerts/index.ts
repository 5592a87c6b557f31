// Alert rules, evaluated: pure functions from rules, balances, events and the previous state to the alerts that
// fire, the alerts that resolve and the next state. The server persists the state, delivers the alerts and
// calls evaluateAlerts again after ingest, readings, settings changes and on a timer (calm and end-of-day
// resolutions need time to pass, not new events). Time and ids are arguments; nothing here reads a clock.
//
// Semantics:
// - Scopes. `pools`: every pool of the balance reply (optionally of one kind). `pool`: one kind + holder.
//   `app`: the app's credits of the kind this cycle against its budget[kind]. `member`: the member's credits of
//   the kind this cycle against scope.budget, or, without one, the member:<id> pool if the balance has it.
//   Threshold and forecast conditions need those figures and skip a scope without them (an app with no budget);
//   burst and daily_anomaly need only the scope's events and run anyway. A pool's events are those the ledger
//   routes to it (pass `router`), else those of its kind (and of the member, for a member:<id> holder).
// - Keys: "ruleId|scope|condition|instance" (keys.ts); the state holds one entry per key.
// - percent_used (used / limit × 100; skipped for a limit of 0) and remaining_below: each threshold fires once
//   per cycle. Thresholds crossed together collapse into one alert for the most severe; the others count as
//   fired. The highest percent_used threshold of the rule (the lowest remaining_below one) is critical, the
//   others warnings. An alert resolves 'recovered' only when the balance is clearly back: percent used
//   ≤ threshold − 5, or remaining ≥ threshold × 1.1 + 1; its threshold then re-arms. In between: nothing.
// - forecast_runout: fires when forecast.runOutAt ≤ reset − leadDays, once per cycle (critical when nothing is
//   left, else warning); resolves 'recovered' when there is no run-out or it is more than 12 h past that deadline.
// - Cycle reset: threshold and forecast entries carry their cycle; at the reset the previous cycle's active
//   alerts resolve 'cycle_reset' and everything re-arms.
// - burst: the scope's events in [now − windowSeconds, now], grouped by `by` (default app+action; no app is
//   "(none)"); a group with ≥ credits credits or ≥ calls calls fires (critical), once per group until calm: no
//   window-long span ending in the last window reached half of either threshold → 'calm'. Not tied to the cycle.
// - daily_anomaly: today's credits (calendar day in `timezone`, so far) > factor × median of the trailing days
//   (default 7, zero days count) and ≥ minCredits (default 10) fires a warning at most once per day per scope;
//   it resolves 'calm' when the day is over.
// - A disabled, deleted or edited rule (or a scope that vanished) resolves its active alerts 'rule_removed'.
// - Conditions of one rule: percent_used (and remaining_below) lists are united; duplicate conditions count once.
// - Every alert carries the pool figures (when the scope has them), its window (thresholds and forecast: the last
//   24 h; burst: the burst window; anomaly: today) and the top 5 apps, members and actions of the scope's events
//   in that window (credits desc, then calls), with names as labels. `threshold` is the threshold crossed
//   (percent or credits left), the lead days (forecast), the credits or calls limit reached (burst), or
//   factor × median (anomaly).
export { alertKey, conditionKey, parseAlertKey, type ParsedAlertKey } from './keys';
export { defaultAlertRules } from './defaults';
export { evaluateAlerts } from './evaluate';
export { PERCENT_BAND, REMAINING_MARGIN, REMAINING_RATIO } from './thresholds';
export { RUNOUT_BAND } from './runout';
export { DEFAULT_MIN_CREDITS, DEFAULT_TRAILING_DAYS } from './anomaly';
export type { AlertState, AlertStateEntry, EvaluateInput, EvaluateResult, Resolution } from './types';
