// The server connection and the outbox: live or not since when, the last error, calls waiting, batches refused.
import type { ServerStatusView } from '../models/options';

export interface ServerStatusProps {
  view: ServerStatusView | null;
  onRefresh: () => void;
}

export function ServerStatus({ view, onRefresh }: ServerStatusProps) {
  return (
    <section class="card" data-testid="server-status" data-state={view?.state}>
      <h2>Server</h2>
      {!view ? (
        <p class="muted">Loading…</p>
      ) : (
        <dl>
          <dt>Connection</dt>
          <dd class={`conn conn-${view.state}`}>
            {view.stateText}
            {view.since && <span class="muted"> · changed {view.since}</span>}
          </dd>
          {view.server && (<><dt>Server</dt><dd><code>{view.server}</code></dd></>)}
          {view.error && (<><dt>Error</dt><dd class="error">{view.error}</dd></>)}
          <dt>Outbox</dt>
          <dd data-testid="outbox-state">{view.outbox}</dd>
          {view.delivery && (<><dt>Delivery</dt><dd>{view.delivery}</dd></>)}
        </dl>
      )}
      {view && view.rejected.length > 0 && (
        <div data-testid="rejected">
          <h3>Batches the server refused (not retried)</h3>
          <ul>
            {view.rejected.map((r, i) => (
              <li key={i}>
                {r.at}: {r.count} call{r.count === 1 ? '' : 's'} — {r.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" onClick={onRefresh}>Reconnect and refresh</button>
    </section>
  );
}
