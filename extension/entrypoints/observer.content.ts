// The isolated-world observer: validates and classifies what the page hook reports. See content/observer.ts.
import { startObserver } from '../content/observer';
import { idMaker } from '../content/ids';
import { loopWarning } from '../content/loop-warning';
import { startBalanceReader } from '../content/balance-reader';
import { contentPort } from '../utils/messaging';
import { PAGE_MATCHES, isLoopbackHost } from '../utils/hosts';

export default defineContentScript({
  matches: PAGE_MATCHES,
  runAt: 'document_start',
  allFrames: true,
  main() {
    const port = contentPort();
    startObserver({
      win: window,
      pageUrl: () => location.href,
      localDev: isLoopbackHost(location.hostname),
      newId: idMaker(crypto.randomUUID()),
      now: Date.now,
      sendCalls: (calls) => port.send('calls', { calls }),
      sendRunaway: (r) => port.send('runaway', r),
      showLoopWarning: port.loopWarnings(loopWarning(document)),
    });
    // Base44's own pages (the editor's credit panel, Credit usage settings): read the balances they show.
    if (location.hostname === 'app.base44.com' && window.top === window) {
      startBalanceReader({ doc: document, pageUrl: () => location.href, pack: port.pack(), now: Date.now, lang: () => (document.documentElement.lang || navigator.language || 'en').slice(0, 2), send: (r) => port.send('reading', r) });
    }
  },
});
