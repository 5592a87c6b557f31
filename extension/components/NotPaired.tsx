// Shown until the extension is paired with a Creditwatch server.
export interface NotPairedProps {
  serverHint?: string;
}

export function NotPaired({ serverHint = 'http://127.0.0.1:4317' }: NotPairedProps) {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', minWidth: '280px', padding: '12px' }}>
      <h1 style={{ fontSize: '16px', margin: '0 0 8px' }}>Creditwatch</h1>
      <p data-testid="not-paired">Not paired yet.</p>
      <p>
        Start the server with <code>npm start</code>; it prints a pairing code. Pair against{' '}
        <code>{serverHint}</code>.
      </p>
    </main>
  );
}
