// Custom domains of published apps: each is observed once the user grants the extension access to it.
export interface DomainListProps {
  domains: string[];
  input: string;
  error: string | null;
  busy: boolean;
  onInput: (v: string) => void;
  onAdd: () => void;
  onRemove: (domain: string) => void;
}

export function DomainList(p: DomainListProps) {
  return (
    <section class="card form" data-testid="domains">
      <h2>Custom domains</h2>
      <p class="muted">Published apps on their own domain: add the host name to observe their calls.</p>
      <form
        class="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          p.onAdd(); // synchronously: the permission prompt needs this click
        }}
      >
        <input data-testid="domain-input" placeholder="app.example.com" value={p.input} onInput={(e) => p.onInput(e.currentTarget.value)} aria-invalid={!!p.error} />
        <button type="submit" data-testid="domain-add" disabled={p.busy}>Add</button>
      </form>
      {p.error && <p class="error" data-testid="domain-error">{p.error}</p>}
      {p.domains.length === 0 ? (
        <p class="muted">No custom domains.</p>
      ) : (
        <ul class="domains">
          {p.domains.map((d) => (
            <li key={d}>
              <code>{d}</code>
              <button type="button" class="link" data-testid={`remove-${d}`} onClick={() => p.onRemove(d)}>remove</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
