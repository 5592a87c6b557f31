// The isolated-world observer: validates and classifies what the page hook reports. See content/observer.ts.
import { startObserver } from '../content/observer';
import { idMaker } from '../content/ids';
import { loopWarning } from '../content/loop-warning';
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
  },
});
