// Unpairing, with a confirmation that says how many unsent calls would be thrown away.
export interface UnpairBoxProps {
  confirming: boolean;
  warning: string;
  onAsk: (ask: boolean) => void;
  onConfirm: () => void;
}

export function UnpairBox({ confirming, warning, onAsk, onConfirm }: UnpairBoxProps) {
  if (!confirming) {
    return (
      <div class="card">
        <button type="button" data-testid="unpair-button" onClick={() => onAsk(true)}>
          Unpair this browser…
        </button>
      </div>
    );
  }
  return (
    <div class="card confirm" data-testid="unpair-confirm" role="alertdialog">
      <p>{warning}</p>
      <div class="row">
        <button type="button" class="danger-button" data-testid="unpair-confirm-button" onClick={onConfirm}>
          Unpair
        </button>
        <button type="button" onClick={() => onAsk(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
