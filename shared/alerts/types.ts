// What alert evaluation takes and returns. The state is plain JSON the server persists between calls: it is
// what makes evaluation idempotent (an alert fires once, not on every ingest) and lets it resolve alerts later.
import type { PoolRouter } from '../ledger/routing';
import type { PoolBalance } from '../schemas/balance';
import type { StoredUsageEvent } from '../schemas/events';
import type { Alert, AlertRule } from '../schemas/alerts';

/** One fired (or "counted as fired") alert instance, stored under its alert key. */
export interface AlertStateEntry {
  /** The cycle the entry belongs to (ISO): threshold and forecast entries re-arm when it changes. */
  cycleStart: string;
  /** The threshold (percent_used, remaining_below), the lead days (forecast_runout), else null. */
  level: number | null;
  /** The alert that is active for this entry; absent when a higher threshold's alert stood in for it. */
  alertId?: string;
  firedAt?: string;
  /** Burst: the time of the group's latest call while its alert is active. */
  lastAt?: string;
}

export interface AlertState {
  entries: Record<string, AlertStateEntry>;
}

export interface EvaluateInput {
  rules: AlertRule[];
  /** From computeBalances (shared/ledger). */
  balances: PoolBalance[];
  /** Every stored event of the workspace, any order; evaluation picks the windows it needs. */
  events: StoredUsageEvent[];
  apps: { id: string; name?: string; budget?: { message?: number; integration?: number } | null }[];
  members: { id: string; name: string }[];
  /** The workspace's cycle anchor: app and member budgets reset with the workspace cycle. */
  cycleAnchor: string;
  /** IANA zone of "today" for daily_anomaly and of dates in texts; default UTC. */
  timezone?: string;
  state: AlertState;
  now: number;
  newId: () => string;
  /**
   * The ledger's router (poolRouter(workspace, apps)), so pool scopes see exactly the events computeBalances
   * counted in the pool. Without it: events of the pool's kind, and for a member:<id> holder that member's.
   */
  router?: Pick<PoolRouter, 'inPool'>;
}

export interface Resolution {
  alertId: string;
  key: string;
  because: 'cycle_reset' | 'recovered' | 'rule_removed' | 'calm';
}

export interface EvaluateResult {
  fired: Alert[];
  resolved: Resolution[];
  state: AlertState;
}
