// The page hook, in the page's own (main) world, before any page script runs. See hook/install.ts.
import { installHook } from '../hook/install';
import { documentEmitter } from '../hook/emit';
import { PAGE_MATCHES } from '../utils/hosts';

export default defineContentScript({
  matches: PAGE_MATCHES,
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  main() {
    installHook(globalThis, documentEmitter(document, globalThis));
  },
});
