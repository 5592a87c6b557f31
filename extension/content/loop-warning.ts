// The in-page loop warning: a small banner in a closed shadow root (the page's CSS cannot restyle it, its
// scripts cannot read it), shown the moment a runaway is detected, before any server round trip.
import type { RunawayState } from '../../shared/base44/repeats';

const STYLE = `:host{all:initial}div{position:fixed;z-index:2147483647;top:12px;right:12px;max-width:360px;padding:10px 12px;
border-radius:8px;background:#fce8e6;color:#3c0d0a;border:1px solid #d93025;font:13px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px #0003}
b{display:block;margin-bottom:2px}button{margin-top:6px;font:inherit;cursor:pointer}`;

export function loopWarning(doc: Document): (r: RunawayState) => void {
  let host: HTMLElement | undefined;
  let text: HTMLElement | undefined;
  let dismissedAt = 0;
  return (r) => {
    if (Date.now() - dismissedAt < 60_000) return;
    if (!host) {
      host = doc.createElement('creditwatch-warning');
      const root = host.attachShadow({ mode: 'closed' });
      const style = doc.createElement('style');
      style.textContent = STYLE;
      const box = doc.createElement('div');
      box.setAttribute('role', 'alert');
      text = doc.createElement('span');
      const close = doc.createElement('button');
      close.textContent = 'Dismiss';
      close.addEventListener('click', () => {
        dismissedAt = Date.now();
        host?.remove();
        host = undefined;
      });
      box.append(text, close);
      root.append(style, box);
      (doc.body ?? doc.documentElement).append(host);
    }
    text!.innerHTML = '';
    const title = doc.createElement('b');
    title.textContent = 'Creditwatch: this page may be looping';
    const detail = doc.createElement('span');
    detail.textContent = `${r.calls} credit-spending calls in 10 s (${r.topAction} ×${r.topCount}${r.repeats ? `, ${r.repeats} identical` : ''}), about ${r.credits} credits.`;
    text!.append(title, detail);
    host.dataset.calls = String(r.calls);
  };
}
