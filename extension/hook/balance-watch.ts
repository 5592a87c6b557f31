// On Base44's own web app (app.base44.com), replies that carry credit balances are read too — only the numbers
// at the paths the pattern pack names (shared/readers/read.ts `readJson`), nothing else of the reply. The
// content script hands the pack's JSON rules to this (main) world with a `creditwatch:pack` event; readings go
// back with `creditwatch:balance`. Only paths the rules name are ever looked at.
import { readJson, type PageReading } from '../../shared/readers/read';
import type { PatternPack } from '../../shared/readers/pack';

export const PACK_EVENT = 'creditwatch:pack';
export const BALANCE_EVENT = 'creditwatch:balance';

export interface BalanceWatch {
  watch(url: string): boolean;
  report(url: string, json: unknown): void;
}

export function balanceWatcher(doc: Document, emit: (readings: PageReading[]) => void): BalanceWatch {
  let rules: PatternPack['json'] = [];
  let paths: RegExp[] = [];
  const parse = JSON.parse;
  doc.addEventListener(PACK_EVENT, (e) => {
    try {
      const detail = (e as CustomEvent).detail;
      if (typeof detail !== 'string' || detail.length > 20_000) return;
      const next = parse(detail) as PatternPack['json'];
      if (!Array.isArray(next)) return;
      paths = next.map((r) => new RegExp(r.path, 'iu'));
      rules = next;
    } catch {
      // a malformed rule set leaves the previous one
    }
  });
  const pathOf = (url: string) => {
    try {
      return new URL(url, doc.baseURI).pathname;
    } catch {
      return '';
    }
  };
  return {
    watch(url) {
      if (!paths.length) return false;
      const p = pathOf(url);
      return paths.some((re) => re.test(p));
    },
    report(url, json) {
      try {
        const readings = readJson({ json: rules } as PatternPack, pathOf(url), json);
        if (readings.length) emit(readings);
      } catch {
        // never disturb the page
      }
    },
  };
}

export function balanceEmitter(doc: Document): (readings: PageReading[]) => void {
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const stringify = JSON.stringify;
  return (readings) => void dispatch.call(doc, new Custom(BALANCE_EVENT, { detail: stringify(readings) }));
}
