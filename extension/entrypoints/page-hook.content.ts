// The page hook, in the page's own (main) world, before any page script runs. See hook/install.ts.
import { installHook } from '../hook/install';
import { documentEmitter } from '../hook/emit';
import { balanceEmitter, balanceWatcher } from '../hook/balance-watch';
import { PAGE_MATCHES } from '../utils/hosts';

export default defineContentScript({
  matches: PAGE_MATCHES,
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  main() {
    // Base44's own web app: balance replies are read too (only the numbers the pattern pack names).
    const balances = location.hostname === 'app.base44.com' ? balanceWatcher(document, balanceEmitter(document)) : undefined;
    installHook(globalThis, documentEmitter(document, globalThis), balances);
  },
});
