// Reads the balances Base44 shows the signed-in user — the editor's credit panel, the Credit usage settings
// page — with the pattern pack (shared/readers), whenever the page changes (throttled). A changed figure is
// sent to the background as a page reading, with what the editor says about the prompt that caused it.
import { appIdFromPage } from '../../shared/base44/classify';
import { complete, readPage, readPromptCost, type PageReading, type PatternPack, type Pool } from '../../shared/readers';
import { BALANCE_EVENT, PACK_EVENT } from '../hook/balance-watch';
import { onPageBatch } from './page-events';
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

  const consider = (readings: PageReading[]) => {
    const pack = d.pack();
    const appId = appIdFromPage(d.pageUrl());
    for (const r of readings) {
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

  const scan = () => {
    timer = undefined;
    const page = appIdFromPage(d.pageUrl()) ? 'editor' : 'settings';
    consider(readPage(d.pack(), page, (rule) => texts(d.doc, rule.selector), d.lang()));
  };

  // Balance replies the page hook read (hook/balance-watch.ts): untrusted — checked number by number, then
  // made consistent again (complete) before they count.
  onPageBatch(d.doc, BALANCE_EVENT, { maxChars: 10_000, maxItems: 4 }, (items) => {
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e8 ? v : undefined);
    const readings: PageReading[] = [];
    for (const x of items as Record<string, unknown>[]) {
      if (!x || (x.pool !== 'message' && x.pool !== 'integration')) continue;
      const r = complete(x.pool, { remaining: num(x.remaining), limit: num(x.limit), used: num(x.used) }, x.exact === true, 'json');
      if (r) readings.push(r);
    }
    consider(readings);
  });
  // Tell the page hook which replies carry balances (the pack's JSON rules; re-sent once the cached pack loads).
  const announce = () => d.doc.dispatchEvent(new CustomEvent(PACK_EVENT, { detail: JSON.stringify(d.pack().json) }));
  announce();
  setTimeout(announce, 1000);

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
