// The popup: how much is left, until when, will it last — then the current app, who is spending, recent calls.
import type { PopupView } from '../models/popup';
import { AlertList } from './AlertList';
import { AppPanel } from './AppPanel';
import { Banner } from './Banner';
import { PoolCard } from './PoolCard';
import { PopupFooter } from './PopupFooter';
import { RecentList } from './RecentList';
import { WhoPanel } from './WhoPanel';

export interface PopupProps {
  view: PopupView | null;
  error: string | null;
  refreshing: boolean;
  onRefresh: () => void;
  onOpenOptions: () => void;
  onAlertAction: (alertId: string, snoozeMinutes?: number) => void;
}

export function Popup({ view, error, refreshing, onRefresh, onOpenOptions, onAlertAction }: PopupProps) {
  const paired = view && view.banner.state !== 'not-paired';
  return (
    <main class="popup">
      <h1>Creditwatch</h1>
      {error && (
        <p class="error" data-testid="error">
          {error}
        </p>
      )}
      {!view && !error && <p class="muted">Loading…</p>}
      {view && <Banner banner={view.banner} onOpenOptions={onOpenOptions} />}
      {paired && (
        <>
          <AlertList alerts={view.alerts} onAction={onAlertAction} />
          {view.pools.map((p) => (
            <PoolCard key={p.kind} pool={p} />
          ))}
          {view.app && <AppPanel app={view.app} />}
          <WhoPanel who={view.who} />
          <RecentList rows={view.recent} />
        </>
      )}
      <PopupFooter outbox={view?.outbox} refreshing={refreshing} onRefresh={onRefresh} onOpenOptions={onOpenOptions} />
    </main>
  );
}
