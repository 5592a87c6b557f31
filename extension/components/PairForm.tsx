// Pairing with a Creditwatch server: its URL and the one-time code it printed. Field errors show inline.
export interface PairFormProps {
  server: string;
  code: string;
  errors: { server?: string; code?: string };
  status: { tone: string; text: string };
  busy: boolean;
  paired: boolean;
  onServer: (v: string) => void;
  onCode: (v: string) => void;
  onSubmit: () => void;
}

export function PairForm(p: PairFormProps) {
  return (
    <form
      data-testid="pair-form"
      class="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        p.onSubmit();
      }}
    >
      <h2>{p.paired ? 'Pair again' : 'Pair with your server'}</h2>
      <label>
        Server URL
        <input data-testid="server-input" type="url" value={p.server} onInput={(e) => p.onServer(e.currentTarget.value)} aria-invalid={!!p.errors.server} />
      </label>
      {p.errors.server && <p class="error" data-testid="server-error">{p.errors.server}</p>}
      <label>
        Pairing code
        <input data-testid="code-input" value={p.code} autocomplete="off" onInput={(e) => p.onCode(e.currentTarget.value)} aria-invalid={!!p.errors.code} />
      </label>
      {p.errors.code && <p class="error" data-testid="code-error">{p.errors.code}</p>}
      <div class="row">
        <button data-testid="pair-button" type="submit" class="primary" disabled={p.busy}>
          {p.busy ? 'Pairing…' : 'Pair'}
        </button>
        <span data-testid="pair-status" data-tone={p.status.tone} class={`status status-${p.status.tone}`} role="status">
          {p.status.text}
        </span>
      </div>
    </form>
  );
}
