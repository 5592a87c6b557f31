// Notification preferences, in-page loop warnings and the `base44 dev` opt-in.
import type { Prefs } from '../../shared/messages';

export interface PrefsFormProps {
  prefs?: Prefs;
  error: string | null;
  onChange: <K extends keyof Prefs>(key: K, value: Prefs[K]) => void;
}

const SEVERITIES: Prefs['minSeverity'][] = ['info', 'warning', 'critical'];

export function PrefsForm({ prefs, error, onChange }: PrefsFormProps) {
  const off = !prefs;
  const toggle = (key: 'notifications' | 'loopWarnings' | 'localDev', label: string) => (
    <label class="check">
      <input type="checkbox" data-testid={`pref-${key}`} checked={prefs?.[key] ?? false} disabled={off} onChange={(e) => onChange(key, e.currentTarget.checked)} />
      {label}
    </label>
  );
  return (
    <section class="card form" data-testid="prefs">
      <h2>Notifications and warnings</h2>
      {toggle('notifications', 'Desktop notifications for alerts from the server')}
      <label>
        Notify from severity
        <select data-testid="pref-minSeverity" value={prefs?.minSeverity} disabled={off || !prefs?.notifications} onChange={(e) => onChange('minSeverity', e.currentTarget.value as Prefs['minSeverity'])}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </label>
      {toggle('loopWarnings', 'Warn inside the page when a test loops (runaway calls)')}
      {toggle('localDev', 'Observe base44 dev on http://localhost and http://127.0.0.1 (asks for access)')}
      {error && <p class="error" data-testid="prefs-error">{error}</p>}
    </section>
  );
}
