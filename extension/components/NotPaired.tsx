// Shown until the extension is paired with a Creditwatch server (popup banner and options page).
export interface NotPairedProps {
  serverHint?: string;
  /** In the popup: a way to the options page, where pairing happens. */
  onOpenOptions?: () => void;
}

export function NotPaired({ serverHint = 'http://127.0.0.1:4317', onOpenOptions }: NotPairedProps) {
  return (
    <section class="not-paired">
      <p data-testid="not-paired">
        <strong>Not paired yet.</strong>
      </p>
      <p class="muted">
        Start the server with <code>npm start</code>; it prints a pairing link and code. Pair against <code>{serverHint}</code>.
      </p>
      {onOpenOptions && (
        <button type="button" class="primary" onClick={onOpenOptions}>
          Open options to pair
        </button>
      )}
    </section>
  );
}
