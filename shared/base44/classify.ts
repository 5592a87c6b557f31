// Classifies one HTTP call a page made as a billed Base44 integration call (base44-facts.md §3): which action
// (named like the price table's keys in ledger/prices.ts), which app, from which kind of page, how it ended and —
// when the reply or the rules say so — exactly what it cost. Anything that is not one of the billed shapes is
// null, so an unbilled call can never be counted.
import { RESERVED_IDS } from '../schemas/reserved';
import type { Context, Outcome } from '../schemas/events';
import { isCredits, type ReplyMeta } from './reply-meta';

export interface ObservedCall {
  /** Absolute or origin-relative request URL as the page passed it (may contain ?query). */
  url: string;
  /** Any case. */
  method: string;
  /** HTTP status; 0 = network error or aborted. */
  status: number;
  /** URL of the frame that made the call. */
  pageUrl: string;
  /** Cost metadata read from the JSON reply (reply-meta.ts). */
  reply?: ReplyMeta;
  /** True when the page is a `base44 dev` local server the user opted into. */
  localDev?: boolean;
}

export interface Classified {
  action: string;
  kind: 'integration';
  appId?: string;
  context: Context;
  outcome: Outcome;
  /** Exact credits when known (a connector's credits_charged, free local calls = 0); null = estimate from the price table. */
  credits: number | null;
  exact: boolean;
}

// The page hook runs this on every request, so it is one precompiled regex and no URL parsing. classifyCall
// requires it too: the two can never disagree, at the price of missing spellings only a URL parser would
// normalise into a billed path (dot segments, backslashes, tabs) — the SDK never produces those.
const CANDIDATE = /\/api\/apps\/[^/?#]+\/(?:integration-endpoints|integrations\/custom|connectors|agents\/conversations\/v2|ai)\//;

export function isCandidateUrl(url: string): boolean {
  return typeof url === 'string' && CANDIDATE.test(url);
}

const API_PATH = /^\/api\/apps\/([^/]+)\/(.+?)\/?$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Endpoint, package, slug, operation and connector names are identifiers. 48 characters each keeps every
// action within the 120 characters events.ts accepts ("installable:" + 48 + "." + 48).
const NAME = /^[A-Za-z0-9_.-]{1,48}$/;

type Shape = [RegExp, (names: string[]) => string];
const BILLED: readonly Shape[] = [
  [/^integration-endpoints\/Core\/([^/]+)$/, ([endpoint]) => `Core.${endpoint}`],
  [/^integration-endpoints\/installable\/([^/]+)\/integration-endpoints\/([^/]+)$/, ([pkg, endpoint]) => `installable:${pkg}.${endpoint}`],
  [/^integrations\/custom\/([^/]+)\/([^/]+)$/, ([slug, op]) => `custom:${slug}/${op}`],
  [/^connectors\/([^/]+)\/call$/, ([type]) => `connector:${type}`],
  [/^agents\/conversations\/v2\/[^/]+\/messages$/, () => 'agent.message'],
  [/^ai\/(?:openai|typesafe)\/v1\/.+$/, () => 'ai-gateway'],
];

// `base44 dev` answers these itself, for free; it proxies every other call to production.
const FREE_LOCALLY = new Set(['Core.UploadFile', 'Core.UploadPrivateFile', 'Core.CreateFileSignedUrl']);

const EDITOR_HOST = 'app.base44.com';
const EDITOR_PATH = /^\/apps\/([^/]+)(?:\/|$)/;
const PREVIEW_HOST = /^preview-sandbox--([^.]+)\.base44\.app$/;
const LOOPBACK_HOST = /^(?:localhost|[^.]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function parse(url: string, base?: string): URL | undefined {
  try {
    const u = new URL(url, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
  } catch {
    return undefined;
  }
}

const asId = (s: string | undefined): string | undefined => (s !== undefined && ID.test(s) && !RESERVED_IDS.has(s) ? s : undefined);

function asName(segment: string): string | undefined {
  try {
    const name = decodeURIComponent(segment);
    return NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** "/api/apps/…" with nothing a URL parser would rewrite: no "//" start, backslash, %-escape, tab/newline or dot segment. */
function isPlainPath(url: string): boolean {
  if (url.charCodeAt(0) !== 47 /* / */ || url.charCodeAt(1) === 47 || url.charCodeAt(1) === 92) return false;
  const path = url.split(/[?#]/, 1)[0];
  return !/[\\%\t\n\r]|\/\.\.?(?:\/|$)/.test(path);
}

/** The billed action a path below /api/apps/<id>/ names, or undefined. */
function billedAction(rest: string): string | undefined {
  for (const [re, name] of BILLED) {
    const m = re.exec(rest);
    if (!m) continue;
    const names = m.slice(1).map(asName);
    return names.every((n) => n !== undefined) ? name(names as string[]) : undefined;
  }
  return undefined;
}

// The observer classifies every call of one page with the same page URL: its parse is remembered (one entry).
let lastPage: { url: string; parsed: URL | undefined } | undefined;
function parsePage(pageUrl: string): URL | undefined {
  if (lastPage?.url !== pageUrl) lastPage = { url: pageUrl, parsed: parse(pageUrl) };
  return lastPage.parsed;
}

export function contextOf(pageUrl: string, opts: { localDev?: boolean } = {}): Context {
  const host = parsePage(pageUrl)?.hostname;
  if (host === undefined) return 'unknown';
  if (host === EDITOR_HOST) return 'editor';
  if (PREVIEW_HOST.test(host)) return 'preview';
  // A loopback page is only a Base44 app when the user said it runs `base44 dev`.
  if (LOOPBACK_HOST.test(host)) return opts.localDev ? 'local-dev' : 'unknown';
  return 'published';
}

export function appIdFromPage(pageUrl: string): string | undefined {
  const page = parse(pageUrl);
  if (!page) return undefined;
  if (page.hostname === EDITOR_HOST) return asId(EDITOR_PATH.exec(page.pathname)?.[1]);
  return asId(PREVIEW_HOST.exec(page.hostname)?.[1]);
}

// Every 402 counts as out of credits, with or without extra_data.reason: 402 is Base44's limit reply, the
// reason is only in an SDK fixture (not a published reference), and a reply the hook could not read must
// not hide that the pool is empty. Nothing is charged either way.
function outcomeOf(status: number): Outcome {
  if (status === 402) return 'out_of_credits';
  return status >= 200 && status < 300 ? 'ok' : 'failed';
}

function creditsOf(action: string, outcome: Outcome, reply: ReplyMeta | undefined, freeLocally: boolean): number | null {
  if (outcome === 'out_of_credits') return 0;
  // Connectors report their own charge, even when the provider failed; only "not_sent" is known to be free.
  // Without either, the price table's estimate stands (a failed call may still have reached the provider).
  if (action.startsWith('connector:')) {
    if (isCredits(reply?.creditsCharged)) return reply.creditsCharged;
    return reply?.phase === 'not_sent' ? 0 : null;
  }
  if (outcome === 'failed' || freeLocally) return 0;
  return null;
}

/** The billed Base44 call this is, or null (not billed, not Base44, or not parseable). Never throws. */
export function classifyCall(call: ObservedCall): Classified | null {
  if (typeof call?.method !== 'string' || call.method.toUpperCase() !== 'POST' || !isCandidateUrl(call.url)) return null;
  // Apps built by Base44 call their own origin with a relative URL; external apps call https://base44.app.
  // An origin-relative path (what Base44's own apps send) needs no URL parse when nothing in it could be
  // normalised differently (dot segments, backslashes, percent-encoded dots); it shares the page's origin.
  const plain = isPlainPath(call.url) && parsePage(call.pageUrl) !== undefined;
  const req = plain ? undefined : (parse(call.url, call.pageUrl) ?? parse(call.url));
  const pathname = plain ? call.url.split(/[?#]/, 1)[0] : req?.pathname;
  const m = pathname !== undefined ? API_PATH.exec(pathname) : null;
  if (!m) return null;
  const appId = asId(m[1]);
  const action = appId && billedAction(m[2]);
  if (!action) return null;

  const context = contextOf(call.pageUrl, { localDev: call.localDev });
  const outcome = outcomeOf(call.status);
  const freeLocally = context === 'local-dev' && FREE_LOCALLY.has(action) && (plain || req?.origin === parsePage(call.pageUrl)?.origin);
  const credits = creditsOf(action, outcome, call.reply, freeLocally);
  return { action, kind: 'integration', appId, context, outcome, credits, exact: credits !== null };
}
