// The few fields of a Base44 reply that say what a call cost (base44-facts.md §3): a connector's credits_charged
// and phase, and the reason of a 402. Only these leave the page: a reply's content (LLM text, emails, records)
// is the app user's data and is never read, copied or sent on. No zod here: the page hook bundles this file.

export interface ReplyMeta {
  creditsCharged?: number;
  phase?: string;
  reason?: string;
}

export const MAX_CREDITS = 100_000;
// Phases and reasons are snake_case codes ("not_sent", "integration_credits_limit_reached"); anything else is
// not a code we understand, and dropping it keeps free text out of the metadata.
export const CODE = /^[a-z_]{1,64}$/;

/** A credit amount one call can plausibly cost: finite, 0–100,000. */
export const isCredits = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_CREDITS;

const isCode = (v: unknown): v is string => typeof v === 'string' && CODE.test(v);

/** Own, plain-object fields only: a reply cannot smuggle values in through its prototype. */
function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** The cost metadata of a parsed JSON reply, or undefined when it has none. Never throws. */
export function replyMeta(json: unknown): ReplyMeta | undefined {
  try {
    const meta: ReplyMeta = {};
    const credits = field(json, 'credits_charged');
    const phase = field(json, 'phase');
    const reason = field(field(json, 'extra_data'), 'reason');
    if (isCredits(credits)) meta.creditsCharged = credits;
    if (isCode(phase)) meta.phase = phase;
    if (isCode(reason)) meta.reason = reason;
    return Object.keys(meta).length ? meta : undefined;
  } catch {
    // A getter or proxy that throws (only a hostile page builds one) carries no metadata.
    return undefined;
  }
}
