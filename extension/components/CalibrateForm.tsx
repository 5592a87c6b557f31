// Calibration: a lead types the remaining credits Base44 shows for a pool; it becomes an exact reading.
export interface CalibrateFormProps {
  pool: 'message' | 'integration';
  remaining: string;
  message?: string;
  ok?: boolean;
  onChange: (patch: Partial<{ pool: 'message' | 'integration'; remaining: string }>) => void;
  onSubmit: () => void;
}

export function CalibrateForm({ pool, remaining, message, ok, onChange, onSubmit }: CalibrateFormProps) {
  return (
    <section class="card" data-testid="calibrate">
      <h2>Calibrate a balance</h2>
      <p class="muted">Leads and owners: type what Base44 shows as left; it becomes the exact starting point.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <select value={pool} data-testid="calibrate-pool" onChange={(e) => onChange({ pool: (e.target as HTMLSelectElement).value as 'message' | 'integration' })}>
          <option value="integration">Integration credits</option>
          <option value="message">Message credits</option>
        </select>{' '}
        <input inputMode="decimal" placeholder="remaining, e.g. 1234.5" value={remaining} data-testid="calibrate-remaining" onInput={(e) => onChange({ remaining: (e.target as HTMLInputElement).value })} />{' '}
        <button type="submit" data-testid="calibrate-button">Calibrate</button>
      </form>
      {message && <p class={ok ? 'ok' : 'error'} data-testid="calibrate-status">{message}</p>}
    </section>
  );
}
