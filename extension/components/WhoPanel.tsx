// Who and what is consuming credits this cycle: top members and top apps.
import type { WhoView } from '../models/popup';
import { ShareList } from './ShareList';

export interface WhoPanelProps {
  who: WhoView;
}

export function WhoPanel({ who }: WhoPanelProps) {
  return (
    <section class="card">
      <h2>
        Who is consuming (this cycle) {who.note && <span class="muted note">{who.note}</span>}
      </h2>
      <div class="who">
        <ShareList testId="who-members" title="Members" rows={who.members} />
        <ShareList testId="who-apps" title="Apps" rows={who.apps} />
      </div>
      {who.observed && (
        <p class="muted" data-testid="observed-split">
          {who.observed}
        </p>
      )}
    </section>
  );
}
