// A ranked list of credits with a share bar: members, apps, or one app's actions.
import type { ShareRow } from '../models/popup';

export interface ShareListProps {
  testId: string;
  title: string;
  rows: ShareRow[];
  empty?: string;
}

export function ShareList({ testId, title, rows, empty = 'nothing this cycle yet' }: ShareListProps) {
  return (
    <div data-testid={testId} class="share">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul>
          {rows.map((r) => (
            <li key={r.key} class={r.me ? 'me' : undefined} title={`${r.calls} call${r.calls === 1 ? '' : 's'}`}>
              <span class="share-name">{r.name}</span>
              <span class="share-bar">
                <span style={{ width: `${Math.round(r.share * 100)}%` }} />
              </span>
              <span class="share-credits">{r.creditsText}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
