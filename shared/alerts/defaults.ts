// The rules a new workspace starts with: the warnings Base44 does not give (PRODUCT.md), loud enough to matter
// and few enough not to be muted. No daily_anomaly by default: a team's first weeks have no usual day yet.
// No second, 3-day forecast rule either: the leadDays 0 rule already fires as soon as the forecast run-out falls
// before the reset — the earliest useful moment — and a 3-day rule would only add a second alert for the same pool.
import type { AlertRuleBody } from '../schemas/alerts';

export function defaultAlertRules(): AlertRuleBody[] {
  return [
    {
      name: 'Credits 50%, 80% and 95% used',
      enabled: true,
      scope: { type: 'pools' },
      conditions: [{ type: 'percent_used', thresholds: [50, 80, 95] }],
    },
    {
      name: 'Credits run out before the reset',
      enabled: true,
      scope: { type: 'pools' },
      conditions: [{ type: 'forecast_runout', leadDays: 0 }],
    },
    {
      // 60 s, not longer: a test loop should be caught while the builder is still looking at it.
      name: 'Runaway loop: one app action spends 20 credits or makes 30 calls in a minute',
      enabled: true,
      scope: { type: 'pools', kind: 'integration' },
      conditions: [{ type: 'burst', credits: 20, calls: 30, windowSeconds: 60, by: 'app+action' }],
    },
  ];
}
