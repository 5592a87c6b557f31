// Reads the balances Base44 shows the signed-in user — the editor's credit panel, the Credit usage settings
// page — with the pattern pack (shared/readers), whenever the page changes (throttled). A changed figure is
// sent to the background as a page reading, with what the editor says about the prompt that caused it.
import { appIdFromPage } from '../../shared/base44/classify';
import { readPage, readPromptCost, type PageReading, type PatternPack, type Pool } from '../../shared/readers';
import type { PageReadingMessage } from '../../shared/messages';

export interface ReaderDeps {
  doc: Document;
  pageUrl: () => string;
  pack: () => PatternPack;
  now: () => number;
  send: (r: PageReadingMessage) => void;
  /** UI language ("en", "de"…): picks the decimal mark. */
  lang: () => string;
}

const THROTTLE_MS = 300;
const MAX_ELEMENTS = 50;

function texts(doc: Document, selector: string): string[] {
  try {
    return [...doc.querySelectorAll(selector)].slice(0, MAX_ELEMENTS).map((e) => e.textContent ?? '');
  } catch {
    return []; // a selector this browser cannot parse: that rule reads nothing
  }
}

export function startBalanceReader(d: ReaderDeps): { scan: () => void } {
  const last = new Map<Pool, PageReading>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const scan = () => {
    timer = undefined;
    const pack = d.pack();
    const url = d.pageUrl();
    const appId = appIdFromPage(url);
    const page = appId ? 'editor' : 'settings';
    for (const r of readPage(pack, page, (rule) => texts(d.doc, rule.selector), d.lang())) {
      const prev = last.get(r.pool);
      if (prev && prev.remaining === r.remaining && prev.limit === r.limit && prev.exact === r.exact) continue;
      last.set(r.pool, r);
      const promptCost = appId && r.pool === 'message' && prev ? readPromptCost(pack, pack.promptCost ? texts(d.doc, pack.promptCost.selector) : [], d.lang()) : undefined;
      let discuss = false;
      try {
        discuss = !!(pack.discussMode && d.doc.querySelector(pack.discussMode));
      } catch {
        discuss = false;
      }
      d.send({
        pool: r.pool,
        remaining: r.remaining,
        ...(r.limit !== undefined ? { limit: r.limit } : {}),
        ...(r.used !== undefined ? { used: r.used } : {}),
        exact: r.exact,
        at: new Date(d.now()).toISOString(),
        ...(appId ? { appId } : {}),
        ...(promptCost !== undefined ? { promptCost } : {}),
        ...(discuss ? { discuss } : {}),
      });
    }
  };

  const observer = new MutationObserver(() => {
    timer ??= setTimeout(scan, THROTTLE_MS);
  });
  const start = () => {
    observer.observe(d.doc.documentElement, { subtree: true, childList: true, characterData: true });
    scan();
  };
  if (d.doc.readyState === 'loading') d.doc.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
  return { scan };
}
