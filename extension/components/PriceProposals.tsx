// Leads: prices the balance readings suggest ("InvokeLLM really costs 2 with this app's model"), each with
// its evidence, to accept (becomes the price-table override) or dismiss.
import type { PriceProposalView } from '../models/options';
import { actionLabel } from '../models/labels';

export interface PriceProposalsProps {
  proposals: PriceProposalView[];
  error: string | null;
  onLoad: () => void;
  onDecide: (p: PriceProposalView, decision: 'accept' | 'dismiss') => void;
}

export function PriceProposals({ proposals, error, onLoad, onDecide }: PriceProposalsProps) {
  return (
    <section class="card" data-testid="price-proposals">
      <h2>Learned prices</h2>
      <p class="muted">What balance readings say calls really cost, where it differs from the price table.</p>
      {proposals.length === 0 && <p class="muted">No proposals right now.</p>}
      <ul class="alert-list">
        {proposals.map((p) => (
          <li key={p.action}>
            <strong>{actionLabel(p.action)}</strong>: {p.current} → <strong>{p.proposed}</strong> credits{' '}
            <span class="muted">({p.confidence} confidence; {p.calls} calls over {p.intervals} intervals)</span>
            <div class="muted">{p.reason}</div>
            <button type="button" onClick={() => onDecide(p, 'accept')}>Accept</button>{' '}
            <button type="button" onClick={() => onDecide(p, 'dismiss')}>Dismiss</button>
          </li>
        ))}
      </ul>
      {error && <p class="error">{error}</p>}
      <button type="button" onClick={onLoad}>Check again</button>
    </section>
  );
}
