// Alerts still firing, with the two things a member does about one: acknowledge it, or snooze it an hour.
import type { AlertRow } from '../models/popup';

export interface AlertListProps {
  alerts: AlertRow[];
  onAction: (alertId: string, snoozeMinutes?: number) => void;
}

export function AlertList({ alerts, onAction }: AlertListProps) {
  if (!alerts.length) return null;
  return (
    <section class="card" data-testid="alerts">
      <h2>Alerts</h2>
      <ul class="alert-list">
        {alerts.map((a) => (
          <li key={a.id} data-severity={a.severity}>
            <div>
              <strong class={a.severity === 'critical' ? 'danger' : undefined}>{a.title}</strong>
              <span class="muted"> · {a.age}</span>
            </div>
            <div>
              <button type="button" onClick={() => onAction(a.id)}>
                Acknowledge
              </button>{' '}
              <button type="button" onClick={() => onAction(a.id, 60)}>
                Snooze 1 hour
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
