// Base44's Enterprise Monitoring API, as a workspace owner configures it (base44-facts.md §5): the API key the
// server polls with, the Base44 workspace it reads, and how often. The key is write-only: replies only ever
// show it masked (`••••abcd`), and the status types below have no field that could carry it.
import * as z from 'zod/mini';

export const MONITORING_DEFAULT_BASE_URL = 'https://app.base44.com';
export const MONITORING_DEFAULT_INTERVAL_MINUTES = 10;

/** A URL the server sends the key to: http(s), no credentials, query or fragment (the path is appended to it). */
const baseUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://app.base44.com' }).check(
  z.refine((v) => {
    try {
      const u = new URL(v);
      return !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, { error: 'must not carry credentials, a query or a fragment' }),
);

export const monitoringPutSchema = z.strictObject({
  /** Printable ASCII only: it travels as an HTTP header value, and a bad header's error would quote it. */
  apiKey: z.string().check(
    z.trim(),
    z.minLength(8, { error: 'must be at least 8 characters' }),
    z.maxLength(512, { error: 'must be at most 512 characters' }),
    z.regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' }),
  ),
  /** The Base44 workspace id (from the workspace's URL or settings), not the Creditwatch one. */
  workspaceId: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -' })),
  baseUrl: z.optional(baseUrlSchema),
  intervalMinutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
});
export type MonitoringPut = z.infer<typeof monitoringPutSchema>;

/** Outcome of the last poll. `reason` is a short token (e.g. `rate_limited`, `http_500`), never reply text. */
export const monitoringResults = ['ok', 'error'] as const;
export type MonitoringResult = (typeof monitoringResults)[number];

export interface MonitoredPool {
  pool: 'message' | 'integration';
  remaining: number;
  limit?: number;
  used?: number;
}

/** A per-member message-credit cap as Base44 reports it (its ids and emails, not Creditwatch members). */
export interface MemberAllocation {
  id?: string;
  email?: string;
  name?: string;
  limit?: number;
  used?: number;
}

const monitoredPoolSchema = z.object({
  pool: z.enum(['message', 'integration']),
  remaining: z.number(),
  limit: z.optional(z.number()),
  used: z.optional(z.number()),
});

/** GET/PUT/POST-poll reply. Everything optional but `configured`: an unconfigured workspace answers `{configured: false}`. */
export const monitoringStatusSchema = z.object({
  configured: z.boolean(),
  apiKey: z.optional(z.string()),
  workspaceId: z.optional(z.string()),
  baseUrl: z.optional(z.string()),
  intervalMinutes: z.optional(z.number()),
  setAt: z.optional(z.string()),
  setBy: z.optional(z.string()),
  lastPollAt: z.optional(z.string()),
  lastResult: z.optional(z.enum(monitoringResults)),
  reason: z.optional(z.string()),
  skipped: z.optional(z.array(z.object({ pool: z.string(), reason: z.string() }))),
  lastOkAt: z.optional(z.string()),
  nextPollAt: z.optional(z.string()),
  failures: z.optional(z.number()),
  readingsStored: z.optional(z.number()),
  /** From the last successful poll since the server started (kept in memory only). */
  latest: z.optional(z.object({
    at: z.string(),
    pools: z.array(monitoredPoolSchema),
    tier: z.optional(z.string()),
    memberAllocations: z.array(z.object({
      id: z.optional(z.string()), email: z.optional(z.string()), name: z.optional(z.string()), limit: z.optional(z.number()), used: z.optional(z.number()),
    })),
  })),
  /** POST .../poll only: "polled" (answered after the poll) or "queued" (rate limit or Base44's Retry-After: polls at nextPollAt). */
  poll: z.optional(z.enum(['polled', 'queued'])),
});
export type MonitoringStatus = z.infer<typeof monitoringStatusSchema>;
