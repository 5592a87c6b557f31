// Calls still waiting for the server, a refresh button and the way to the options page.
export interface PopupFooterProps {
  outbox?: string;
  refreshing: boolean;
  onRefresh: () => void;
  onOpenOptions: () => void;
}

export function PopupFooter({ outbox, refreshing, onRefresh, onOpenOptions }: PopupFooterProps) {
  return (
    <footer class="footer">
      {outbox && (
        <p data-testid="outbox" class="warn">
          {outbox}
        </p>
      )}
      <div class="row">
        <button type="button" data-testid="refresh" onClick={onRefresh} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
        <button type="button" class="link" onClick={onOpenOptions}>
          Options
        </button>
      </div>
    </footer>
  );
}
