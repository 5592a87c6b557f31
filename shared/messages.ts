// The extension's message protocol: one map of `name(data): result` per boundary (ARCHITECTURE.md §3).
// - page → content script: the page hook's metadata about one call (`hookCallSchema`), a JSON string in a
//   CustomEvent. The page can forge anything here, so it is parsed as untrusted input.
// - content script → background: classified calls and runaway warnings (`fromContent`).
// - extension pages (popup, options) → background: everything else (`fromPages`).
// The background checks the sender: a content script (a page) may only send the `fromContent` names.
import * as z from 'zod/mini';
import { creditsSchema, idSchema, isoTimeSchema, refSchema } from './schemas/common';
import { actionSchema, contextSchema, outcomeSchema } from './schemas/events';
import { replyMetaSchema } from './base44/reply-meta-schema';
import { HOOK_EVENT } from './hook-event';

export { HOOK_EVENT };

/** What the page hook reports about one candidate call. No bodies, no headers, no query strings. */
export const hookCallSchema = z.strictObject({
  v: z.literal(1),
  url: z.string().check(z.maxLength(2048)),
  method: z.string().check(z.regex(/^[A-Za-z]{1,10}$/)),
  status: z.int().check(z.gte(0), z.lte(599)),
  /** When the call started (epoch ms) and how long it took. */
  start: z.number().check(z.gte(0)),
  ms: z.number().check(z.gte(0), z.lte(3_600_000)),
  /** The same method + URL + body was sent within seconds (compared by a hash that stays in the page). */
  repeat: z.boolean(),
  reply: z.optional(replyMetaSchema),
});
export type HookCall = z.infer<typeof hookCallSchema>;

/** A classified call, as a content script sends it. `credits: null` = estimate it from the price table. */
export const callReportSchema = z.strictObject({
  id: idSchema,
  at: isoTimeSchema,
  action: actionSchema,
  appId: z.optional(refSchema),
  context: contextSchema,
  outcome: outcomeSchema,
  credits: z.nullable(creditsSchema),
  exact: z.boolean(),
  flowId: idSchema,
  repeat: z.boolean(),
  /** direct: our hook saw it; witness: only the editor's api-request messages did (see witness.ts). */
  via: z.enum(['direct', 'witness']),
  /** "POST /api/apps/<id>/…": matches a witness with a direct report. A path, never a query or a body. */
  key: z.string().check(z.maxLength(400)),
});
export type CallReport = z.infer<typeof callReportSchema>;

export const runawaySchema = z.strictObject({
  appId: z.optional(refSchema),
  calls: z.int().check(z.gte(0), z.lte(100_000)),
  credits: creditsSchema,
  repeats: z.int().check(z.gte(0), z.lte(100_000)),
  topAction: actionSchema,
  topCount: z.int().check(z.gte(0), z.lte(100_000)),
});
export type Runaway = z.infer<typeof runawaySchema>;

export const pairRequestSchema = z.strictObject({
  server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4317' }),
  code: z.string().check(z.trim(), z.minLength(4, { error: 'enter the pairing code the server printed' }), z.maxLength(64)),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

export const prefsSchema = z.strictObject({
  /** Desktop notifications for alerts the server pushes. */
  notifications: z.boolean(),
  /** Only these severities notify. */
  minSeverity: z.enum(['info', 'warning', 'critical']),
  /** In-page loop warnings. */
  loopWarnings: z.boolean(),
  /** Observe `base44 dev` on http://localhost and http://127.0.0.1 (opt-in). */
  localDev: z.boolean(),
});
export type Prefs = z.infer<typeof prefsSchema>;
export const DEFAULT_PREFS: Prefs = { notifications: true, minSeverity: 'warning', loopWarnings: true, localDev: false };

export const domainSchema = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a host name such as app.example.com' }),
);

export const alertActionSchema = z.strictObject({
  alertId: refSchema,
  snoozeMinutes: z.optional(z.int().check(z.gte(1), z.lte(10080))),
});

/** A balance read off a Base44 page (shared/readers), as the content script sends it. */
export const pageReadingSchema = z.strictObject({
  pool: z.enum(['message', 'integration']),
  remaining: creditsSchema,
  limit: z.optional(creditsSchema),
  used: z.optional(creditsSchema),
  exact: z.boolean(),
  at: isoTimeSchema,
  /** The editor's app, when read in the editor. */
  appId: z.optional(refSchema),
  /** The editor showed this prompt's own cost ("Credits Used"). */
  promptCost: z.optional(creditsSchema),
  /** The editor was in Discuss mode. */
  discuss: z.optional(z.boolean()),
});
export type PageReadingMessage = z.infer<typeof pageReadingSchema>;

/** Names a content script may send, with their data schemas. */
export const fromContent = {
  calls: z.strictObject({ calls: z.array(callReportSchema).check(z.minLength(1), z.maxLength(200)) }),
  runaway: runawaySchema,
  reading: pageReadingSchema,
} as const;

/** Names only the extension's own pages may send. */
export const fromPages = {
  status: z.strictObject({ tabId: z.optional(z.int()) }),
  pair: pairRequestSchema,
  unpair: z.strictObject({}),
  refresh: z.strictObject({}),
  setPrefs: prefsSchema,
  addDomain: z.strictObject({ domain: domainSchema }),
  removeDomain: z.strictObject({ domain: domainSchema }),
  alertAction: alertActionSchema,
  /** A lead states a pool's current remaining (a `manual` reading: exact, the balance's new starting point). */
  calibrate: z.strictObject({ pool: z.enum(['message', 'integration']), remaining: creditsSchema }),
  /** Leads: prices the readings suggest (server/domain/price-proposals.ts). */
  proposals: z.strictObject({}),
  proposalAction: z.strictObject({ action: actionSchema, decision: z.enum(['accept', 'dismiss']), proposed: creditsSchema }),
} as const;

export type ContentMessageName = keyof typeof fromContent;
export type PageMessageName = keyof typeof fromPages;
export type MessageName = ContentMessageName | PageMessageName;
export type MessageData<K extends MessageName> = z.infer<(typeof fromContent & typeof fromPages)[K]>;
export interface Envelope<K extends MessageName = MessageName> {
  name: K;
  data: MessageData<K>;
}
