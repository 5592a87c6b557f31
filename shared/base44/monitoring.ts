// Reads a reply of Base44's Enterprise Monitoring API (base44-facts.md §5) into pool readings. The documented
// shape is a `credit_pool` with message and integration parts, each with limit, used and remaining, plus
// `member_allocations`; the field names below `credit_pool` are NOT confirmed, so this accepts the plausible
// spellings (snake_case, camelCase, nested or flat, numbers as numeric strings) and refuses anything it cannot
// make consistent. A pool that fails a check is skipped with a reason; the caller stores only `pools`.
// Pure and total: never throws, whatever the input (the server polls untrusted JSON with it).
import type { MemberAllocation, MonitoredPool } from '../schemas/monitoring';

/** Largest figure accepted: custom (enterprise) plans exceed published ones by far, but not by this much. */
export const MAX_MONITORED_CREDITS = 100_000_000;
const MAX_ALLOCATIONS = 500;
/** Credits are fractional: limit − used − remaining may be off by rounding, not by more. */
const TOLERANCE = 0.01;

export type PoolProblem = 'not_a_number' | 'negative' | 'too_large' | 'no_remaining' | 'remaining_exceeds_limit' | 'used_exceeds_limit' | 'inconsistent';

export interface MonitoringReply {
  /** Pools that passed every check: the readings to store. */
  pools: MonitoredPool[];
  /** Pools found but refused, with why. */
  skipped: { pool: MonitoredPool['pool']; reason: PoolProblem }[];
  /** Set when the reply as a whole is unusable (nothing to store). */
  error?: 'not_an_object' | 'no_credit_pool' | 'no_pools';
  tier?: string;
  memberAllocations: MemberAllocation[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** "message_credits", "messageCredits" and "Message-Credits" are one name. */
const norm = (k: string) => k.toLowerCase().replace(/[_\-\s]/g, '');

/** An own field whose normalised name is one of `names` (first match in `names` order). */
function pick(o: Obj, names: readonly string[]): unknown {
  const keys = Object.keys(o);
  for (const name of names) {
    for (const k of keys) if (norm(k) === name && Object.hasOwn(o, k)) return o[k];
  }
  return undefined;
}

const POOL_NAMES = {
  message: ['messagecredits', 'messages', 'message'],
  integration: ['integrationcredits', 'integrations', 'integration'],
} as const;
const FIELD_NAMES = {
  limit: ['limit', 'total', 'allowance'],
  used: ['used', 'consumed'],
  remaining: ['remaining', 'left', 'balance'],
} as const;
const WRAPPERS = ['data', 'analytics', 'result'];

/** A number, or a numeric string ("1234", "1,234.5"); undefined when absent; NaN when present but not a number. */
function num(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return Number(s.replace(/,/g, ''));
  }
  return NaN;
}

function creditPoolOf(json: Obj): Obj | undefined {
  const direct = pick(json, ['creditpool']);
  if (isObj(direct)) return direct;
  for (const w of WRAPPERS) {
    const inner = pick(json, [w]);
    if (isObj(inner)) {
      const cp = pick(inner, ['creditpool']);
      if (isObj(cp)) return cp;
    }
  }
  return undefined;
}

/** The raw figures of one pool: nested (`message_credits: {limit, …}`) or flat (`message_credits_limit`). */
function rawPool(cp: Obj, names: readonly string[]): { limit: unknown; used: unknown; remaining: unknown } | undefined {
  const nested = pick(cp, names);
  if (isObj(nested)) {
    return { limit: pick(nested, FIELD_NAMES.limit), used: pick(nested, FIELD_NAMES.used), remaining: pick(nested, FIELD_NAMES.remaining) };
  }
  const flat = (field: keyof typeof FIELD_NAMES) => pick(cp, names.flatMap((n) => FIELD_NAMES[field].map((f) => n + f)));
  const out = { limit: flat('limit'), used: flat('used'), remaining: flat('remaining') };
  return out.limit === undefined && out.used === undefined && out.remaining === undefined ? undefined : out;
}

/** Checks one pool's figures and completes the missing one; a PoolProblem when they cannot be trusted. */
export function checkPool(pool: MonitoredPool['pool'], raw: { limit: unknown; used: unknown; remaining: unknown }): MonitoredPool | PoolProblem {
  let limit = num(raw.limit);
  let used = num(raw.used);
  let remaining = num(raw.remaining);
  const given = [limit, used, remaining].filter((x): x is number => x !== undefined);
  if (given.some((x) => Number.isNaN(x))) return 'not_a_number';
  if (given.some((x) => x < 0)) return 'negative';
  if (given.some((x) => x > MAX_MONITORED_CREDITS)) return 'too_large';
  if (remaining === undefined && limit !== undefined && used !== undefined) remaining = round(limit - used);
  if (used === undefined && limit !== undefined && remaining !== undefined) used = round(limit - remaining);
  if (limit === undefined && used !== undefined && remaining !== undefined) limit = round(used + remaining);
  if (remaining === undefined) return 'no_remaining';
  if (remaining < 0) return 'used_exceeds_limit';
  if (limit !== undefined && remaining > limit + TOLERANCE) return 'remaining_exceeds_limit';
  if (limit !== undefined && used !== undefined) {
    if (used < 0 || used > limit + TOLERANCE) return 'used_exceeds_limit';
    if (Math.abs(limit - used - remaining) > TOLERANCE) return 'inconsistent';
  }
  return { pool, remaining, ...(limit !== undefined ? { limit } : {}), ...(used !== undefined ? { used } : {}) };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** A short one-line string; longer ones are dropped, not cut (a cut string could be part of a secret it echoed). */
function text(v: unknown, max = 200): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return s && s.length <= max ? s : undefined;
}
const figure = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && Number.isFinite(n) && n >= 0 && n <= MAX_MONITORED_CREDITS ? n : undefined;
};

function allocations(json: Obj, cp: Obj): MemberAllocation[] {
  const raw = pick(cp, ['memberallocations']) ?? pick(json, ['memberallocations']) ?? WRAPPERS.map((w) => pick(json, [w])).filter(isObj).map((o) => pick(o, ['memberallocations'])).find((v) => v !== undefined);
  // A list of entries, or a map keyed by the member's id.
  const entries: [string | undefined, unknown][] = Array.isArray(raw) ? raw.map((v) => [undefined, v]) : isObj(raw) ? Object.entries(raw) : [];
  const out: MemberAllocation[] = [];
  for (const [key, v] of entries.slice(0, MAX_ALLOCATIONS)) {
    if (!isObj(v)) continue;
    const a: MemberAllocation = {};
    const id = text(pick(v, ['userid', 'memberid', 'id']), 128) ?? text(key, 128);
    const email = text(pick(v, ['email', 'useremail']), 254);
    const name = text(pick(v, ['name', 'username', 'fullname']), 120);
    const limit = figure(pick(v, ['limit', 'cap', 'allocation', 'allocated', 'messagecreditslimit', 'messagecredits', 'total']));
    const used = figure(pick(v, ['used', 'consumed', 'messagecreditsused']));
    if (id !== undefined) a.id = id;
    if (email !== undefined) a.email = email;
    if (name !== undefined) a.name = name;
    if (limit !== undefined) a.limit = limit;
    if (used !== undefined) a.used = used;
    if (Object.keys(a).length) out.push(a);
  }
  return out;
}

export function parseMonitoringReply(json: unknown): MonitoringReply {
  try {
    if (!isObj(json)) return { pools: [], skipped: [], memberAllocations: [], error: 'not_an_object' };
    const cp = creditPoolOf(json);
    if (!cp) return { pools: [], skipped: [], memberAllocations: [], error: 'no_credit_pool' };
    const out: MonitoringReply = { pools: [], skipped: [], memberAllocations: allocations(json, cp) };
    for (const pool of ['message', 'integration'] as const) {
      const raw = rawPool(cp, POOL_NAMES[pool]);
      if (!raw) continue;
      const checked = checkPool(pool, raw);
      if (typeof checked === 'string') out.skipped.push({ pool, reason: checked });
      else out.pools.push(checked);
    }
    if (!out.pools.length && !out.skipped.length) out.error = 'no_pools';
    const tier = text(pick(cp, ['tier', 'plan']) ?? pick(json, ['tier', 'plan']), 40);
    if (tier && /^[\w .-]+$/.test(tier)) out.tier = tier;
    return out;
  } catch {
    // Only a hostile object (a throwing getter) gets here; JSON.parse output never does.
    return { pools: [], skipped: [], memberAllocations: [], error: 'not_an_object' };
  }
}
