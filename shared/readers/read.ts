// Applies a pattern pack to what a page shows: element texts (the extension collects them per rule) and JSON
// replies. Pure: the DOM is read elsewhere; this turns text into readings. A reading that contradicts itself
// (remaining above its limit, used + remaining ≠ limit) is dropped here, before anything trusts it.
import { parseCredits } from './numbers';
import type { PatternPack, TextRule } from './pack';

export type Pool = 'message' | 'integration';

export interface PageReading {
  pool: Pool;
  remaining: number;
  limit?: number;
  used?: number;
  /** false when a figure was rounded ("1.2k"). */
  exact: boolean;
  /** The rule that read it (for diagnostics). */
  rule: string;
}

const compiled = new Map<string, RegExp>();
function re(source: string, flags = 'iu'): RegExp {
  const key = `${flags}:${source}`;
  let r = compiled.get(key);
  if (!r) compiled.set(key, (r = new RegExp(source, flags)));
  r.lastIndex = 0;
  return r;
}

function poolOf(word: string | undefined, pack: PatternPack, fallback?: Pool): Pool | undefined {
  if (!word) return fallback;
  const w = word.toLowerCase();
  if (pack.poolWords.message.some((x) => x.toLowerCase() === w)) return 'message';
  if (pack.poolWords.integration.some((x) => x.toLowerCase() === w)) return 'integration';
  return undefined;
}

/** One consistent reading from the numbers a pattern found, or undefined. */
export function complete(pool: Pool, nums: { remaining?: number; limit?: number; used?: number }, exact: boolean, rule: string): PageReading | undefined {
  let { remaining, limit, used } = nums;
  if (remaining === undefined && limit !== undefined && used !== undefined) remaining = Math.round((limit - used) * 1000) / 1000;
  if (remaining === undefined || remaining < 0) return undefined;
  if (limit !== undefined && remaining > limit + 0.001) return undefined;
  if (limit !== undefined && used !== undefined && Math.abs(limit - used - remaining) > (exact ? 0.01 : limit * 0.05)) return undefined;
  if (used === undefined && limit !== undefined) used = Math.round((limit - remaining) * 1000) / 1000;
  return { pool, remaining, ...(limit !== undefined ? { limit } : {}), ...(used !== undefined ? { used } : {}), exact, rule };
}

/** Every reading in one element's text (a panel may show both pools in one line). */
export function readAll(text: string, rule: TextRule, pack: PatternPack, lang = 'en'): PageReading[] {
  const flat = text.replace(/\s+/g, ' ').trim().slice(0, 2000);
  const decimal = pack.decimal[lang] ?? '.';
  const found = new Map<Pool, PageReading>();
  for (const source of rule.patterns) {
    for (const m of flat.matchAll(re(source, 'giu'))) {
      const g = m.groups;
      if (!g) continue;
      const pool = poolOf(g.pool, pack, rule.pool);
      if (!pool || found.has(pool)) continue;
      let exact = true;
      let bad = false;
      const nums: { remaining?: number; limit?: number; used?: number } = {};
      for (const key of ['remaining', 'limit', 'used'] as const) {
        if (g[key] === undefined) continue;
        const n = parseCredits(g[key], decimal);
        if (!n) bad = true;
        else {
          nums[key] = n.value;
          exact &&= n.exact;
        }
      }
      const reading = bad ? undefined : complete(pool, nums, exact, rule.id);
      if (reading) found.set(pool, reading);
    }
  }
  return [...found.values()];
}

export function readText(text: string, rule: TextRule, pack: PatternPack, lang = 'en'): PageReading | undefined {
  return readAll(text, rule, pack, lang)[0];
}

/**
 * Readings from a page: `textsFor(rule)` returns the texts of the elements the rule's selector matches.
 * The first reading per pool wins (rules and elements in order).
 */
export function readPage(pack: PatternPack, page: 'editor' | 'settings', textsFor: (rule: TextRule) => string[], lang = 'en'): PageReading[] {
  const found = new Map<Pool, PageReading>();
  for (const rule of pack.text) {
    if (rule.page !== page) continue;
    for (const text of textsFor(rule)) {
      for (const r of readAll(text, rule, pack, lang)) if (!found.has(r.pool)) found.set(r.pool, r);
    }
  }
  return [...found.values()];
}

/** A prompt's own cost ("Credits Used 1.5"), when the editor shows it. */
export function readPromptCost(pack: PatternPack, texts: string[], lang = 'en'): number | undefined {
  if (!pack.promptCost) return undefined;
  for (const text of texts) {
    for (const source of pack.promptCost.patterns) {
      const used = re(source).exec(text.replace(/\s+/g, ' '))?.groups?.used;
      const n = used === undefined ? undefined : parseCredits(used, pack.decimal[lang] ?? '.');
      if (n?.exact) return n.value;
    }
  }
  return undefined;
}

function at(json: unknown, path: string): unknown {
  let v: unknown = json;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);

/** Readings from a JSON reply whose URL path matches one of the pack's JSON rules. */
export function readJson(pack: PatternPack, path: string, json: unknown): PageReading[] {
  const out: PageReading[] = [];
  for (const rule of pack.json) {
    if (!re(rule.path).test(path)) continue;
    for (const p of rule.pools) {
      const r = complete(p.pool, { remaining: p.remaining ? num(at(json, p.remaining)) : undefined, limit: p.limit ? num(at(json, p.limit)) : undefined, used: p.used ? num(at(json, p.used)) : undefined }, true, rule.id);
      if (r) out.push(r);
    }
  }
  return out;
}
