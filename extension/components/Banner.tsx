// The popup's one-line answer to "can I trust these numbers?": not paired, connecting, live, unreachable
// (with the age of the values shown), pairing revoked, or out of integration credits.
import type { BannerView } from '../models/popup';
import { NotPaired } from './NotPaired';

export interface BannerProps {
  banner: BannerView;
  onOpenOptions: () => void;
}

export function Banner({ banner, onOpenOptions }: BannerProps) {
  return (
    <div data-testid="banner" data-state={banner.state} class={`banner banner-${banner.state}`} role={banner.state === 'out-of-credits' ? 'alert' : 'status'}>
      {banner.state === 'not-paired' ? (
        <NotPaired onOpenOptions={onOpenOptions} />
      ) : (
        <>
          <strong class="banner-title">{banner.title}</strong>
          {banner.detail && <div class="banner-detail">{banner.detail}</div>}
          {banner.toOptions && (
            <button type="button" class="primary" onClick={onOpenOptions}>
              Pair again
            </button>
          )}
        </>
      )}
    </div>
  );
}
