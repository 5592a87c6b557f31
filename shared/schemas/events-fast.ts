// A fast acceptance check for ingest bodies, the server's hottest path. It accepts only bodies that are
// certainly valid under a strict subset of `ingestBodySchema`'s rules; anything it is unsure of goes to zod,
// which stays the authority (and writes the error messages). zod/mini has no JIT and was the largest cost of
// ingest. test/shared/events-fast.test.ts checks, over tables and random inputs, that every body accepted here
// is also accepted by the schema.
import type { IngestBody } from './events';
import { contexts } from './events';
import { RESERVED_IDS } from './common';

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const REF = /^[A-Za-z0-9_:.-]{1,64}$/;
const ACTION = /^[A-Za-z0-9_.:/@+-]{1,120}$/;
/** Only the canonical UTC forms, with or without milliseconds; other offsets go to zod. */
const AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const KEYS = new Set(['id', 'at', 'kind', 'credits', 'exact', 'action', 'appId', 'context', 'outcome', 'flowId', 'memberId']);
const CONTEXTS = new Set<unknown>(contexts);

const digits = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
};

/** The AT pattern guarantees digits in place; this rejects instants that do not exist (Feb 30, 24:00). */
function realInstant(at: string): boolean {
  const y = digits(at, 0, 4);
  const mo = digits(at, 5, 2);
  const d = digits(at, 8, 2);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return d <= days && digits(at, 11, 2) < 24 && digits(at, 14, 2) < 60 && digits(at, 17, 2) < 60;
}

function eventOk(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const o = e as Record<string, unknown>;
  let n = 0;
  for (const k in o) {
    if (!KEYS.has(k)) return false;
    n++;
  }
  if (n < 8) return false;
  const { id, at, kind, credits, exact, action, appId, context, outcome, flowId, memberId } = o;
  return (
    typeof id === 'string' && ID.test(id) &&
    typeof at === 'string' && AT.test(at) && realInstant(at) &&
    (kind === 'message' || kind === 'integration') &&
    typeof credits === 'number' && credits >= 0 && credits <= 100000 &&
    typeof exact === 'boolean' &&
    typeof action === 'string' && ACTION.test(action) &&
    (appId === undefined || (typeof appId === 'string' && REF.test(appId) && !RESERVED_IDS.has(appId))) &&
    CONTEXTS.has(context) &&
    (outcome === 'ok' || outcome === 'failed' || outcome === 'out_of_credits') &&
    (flowId === undefined || (typeof flowId === 'string' && ID.test(flowId))) &&
    (memberId === undefined || (typeof memberId === 'string' && REF.test(memberId) && !RESERVED_IDS.has(memberId)))
  );
}

/** True only when `body` is certainly a valid ingest body; false means "ask the schema". */
export function isCertainlyValidIngest(body: unknown): body is IngestBody {
  if (typeof body !== 'object' || body === null) return false;
  const o = body as Record<string, unknown>;
  for (const k in o) if (k !== 'events') return false;
  const events = o.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > 1000) return false;
  for (let i = 0; i < events.length; i++) if (!eventOk(events[i])) return false;
  return true;
}
