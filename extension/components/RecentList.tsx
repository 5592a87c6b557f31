// The last few credit-spending calls: when, what, which app, how much, and whether it worked.
import type { RecentRow } from '../models/popup';

export interface RecentListProps {
  rows: RecentRow[];
}

const OUTCOME_TEXT = { ok: 'ok', failed: 'failed', out_of_credits: 'no credits' } as const;

export function RecentList({ rows }: RecentListProps) {
  return (
    <section class="card" data-testid="recent">
      <h2>Recent calls</h2>
      {rows.length === 0 ? (
        <p class="muted">No credit-spending call observed yet.</p>
      ) : (
        <ul class="recent">
          {rows.map((r) => (
            <li key={r.id}>
              <span class="recent-action" title={r.action}>{r.action}</span>
              <span class="num">{r.credits}</span>
              <span class={`badge badge-${r.outcome}`}>{OUTCOME_TEXT[r.outcome]}</span>
              <span class="recent-meta muted">
                {r.age} · {r.app}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
