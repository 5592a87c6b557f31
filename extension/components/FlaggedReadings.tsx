// Balances read off Base44's pages that could not be true (kept out of the ledger), so a lead can see why.
export interface FlaggedReadingsProps {
  flagged: { at: string; pool: string; remaining: number; reason: string }[];
}

export function FlaggedReadings({ flagged }: FlaggedReadingsProps) {
  if (!flagged.length) return null;
  return (
    <section class="card" data-testid="flagged-readings">
      <h2>Readings not trusted</h2>
      <ul class="alert-list">
        {flagged.slice(-5).reverse().map((f) => (
          <li key={f.at + f.pool}>
            {f.remaining} {f.pool} credits at {new Date(f.at).toLocaleString()}: {f.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
