// One credit pool: what is left of the limit (minus calls not yet counted by the server), how sure that is,
// when it resets and whether it will last until then.
import type { PoolView } from '../models/popup';

export interface PoolCardProps {
  pool: PoolView;
}

export function PoolCard({ pool: p }: PoolCardProps) {
  return (
    <section
      data-testid={`pool-${p.kind}`}
      data-level={p.level}
      data-remaining={p.known ? String(p.remaining) : undefined}
      data-limit={p.known ? String(p.limit) : undefined}
      class={`card pool${p.highlight ? ' pool-current' : ''}`}
    >
      <header class="row">
        <h2>{p.label}</h2>
        {p.highlight && <span class="tag tag-current">this tab</span>}
        {p.known && <span class={`tag${p.exact ? '' : ' tag-estimate'}`}>{p.exact ? 'exact' : 'estimate'}</span>}
      </header>
      {p.known ? (
        <>
          <p class="amount">
            <strong style={{ color: p.colour }}>{p.remainingText}</strong> / {p.limitText} left
          </p>
          <div class="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.percentLeft)}>
            <div class="bar-fill" style={{ width: `${p.percentLeft}%`, background: p.colour }} />
          </div>
          <p class="muted">
            {p.reset}
            {p.pending > 0 && ` · ${p.pending} observed here, not yet counted by the server`}
          </p>
          {p.forecast && <p class={p.forecast.danger ? 'danger' : 'muted'}>{p.forecast.text}</p>}
          {p.daily && <p class="muted">{p.daily}</p>}
          {p.grants && <p class="muted">{p.grants}</p>}
          {p.holder && <p class="muted">{p.holder}</p>}
          {p.contradiction && <p class="danger" data-testid="pool-contradiction">{p.contradiction}</p>}
        </>
      ) : (
        <p class="muted">— no balance received yet</p>
      )}
    </section>
  );
}
