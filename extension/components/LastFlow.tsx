// What one click of the app cost: the calls it made, estimates marked "~", duplicates marked.
import type { FlowView } from '../models/popup';

export interface LastFlowProps {
  flow?: FlowView;
}

export function LastFlow({ flow }: LastFlowProps) {
  if (!flow) return <p data-testid="last-flow" class="muted">No click observed in this app yet.</p>;
  return (
    <div data-testid="last-flow" class="flow" data-total={String(flow.total)}>
      <p>
        <strong>{flow.text}</strong> <span class="muted">({flow.age})</span>
      </p>
      {flow.items.some((i) => i.duplicate) && <p class="warn">Duplicate calls: the same request was sent again within seconds.</p>}
      {flow.estimate && <p class="muted">~ = estimated from the price table; corrected by the next balance reading.</p>}
    </div>
  );
}
