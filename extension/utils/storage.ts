// Every item the extension keeps, in one place. The service worker can be stopped at any moment, so all
// state lives here, not in memory. Values read back are validated: a corrupt or foreign value falls back to
// the default instead of breaking the worker. Bump an item's version and add a migration when its shape changes.
import { storage } from 'wxt/utils/storage';
import * as z from 'zod/mini';
import { usageEventSchema, type UsageEvent } from '../../shared/schemas/events';
import { balanceReplySchema, type PoolBalance } from '../../shared/schemas/balance';
import { DEFAULT_PREFS, prefsSchema, type Prefs } from '../../shared/messages';
import { DEFAULT_PACK } from '../../shared/readers/default-pack';
import { patternPackSchema, type PatternPack } from '../../shared/readers/pack';

export const pairingSchema = z.object({
  server: z.string(),
  token: z.string(),
  workspace: z.object({ id: z.string(), name: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  pairedAt: z.string(),
});
export type Pairing = z.infer<typeof pairingSchema>;

export const deliverySchema = z.object({
  /** Consecutive failed attempts; 0 after a success. */
  attempts: z.number(),
  nextAttemptAt: z.optional(z.number()),
  lastError: z.optional(z.string()),
  lastOkAt: z.optional(z.number()),
  /** Events acknowledged recently: counted locally until a balance newer than the ack arrives. */
  acked: z.array(z.object({ credits: z.number(), kind: z.string(), appId: z.optional(z.string()), at: z.number() })),
  /** Batches the server refused as invalid (kept for the options page, never retried). */
  rejected: z.array(z.object({ at: z.number(), count: z.number(), detail: z.string() })),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const knownBalanceSchema = z.object({ ...balanceReplySchema.shape, receivedAt: z.number() });
export type KnownBalance = { pools: PoolBalance[]; at: string; receivedAt: number };

export const connectionSchema = z.object({
  state: z.enum(['unpaired', 'connecting', 'live', 'unreachable', 'revoked']),
  since: z.number(),
  lastEventId: z.optional(z.string()),
  error: z.optional(z.string()),
});
export type Connection = z.infer<typeof connectionSchema>;

export const recentSchema = z.array(z.object({ ...usageEventSchema.shape, memberId: z.optional(z.string()), receivedAt: z.optional(z.string()) }));
export type RecentEvent = z.infer<typeof recentSchema>[number];

export const flowSchema = z.object({
  flowId: z.string(),
  appId: z.optional(z.string()),
  at: z.string(),
  calls: z.array(z.object({ action: z.string(), credits: z.number(), exact: z.boolean(), outcome: z.string(), repeat: z.boolean() })),
});
export type Flow = z.infer<typeof flowSchema>;

export const alertNoteSchema = z.array(z.object({ id: z.string(), title: z.string(), severity: z.string(), firedAt: z.string(), resolved: z.boolean(), handled: z.optional(z.boolean()) }));

export const pricesSchema = z.record(z.string(), z.nullable(z.object({ credits: z.number(), note: z.optional(z.string()) })));

const rowsSchema = z.array(z.object({ key: z.string(), credits: z.number(), calls: z.number() }));
/** The team view, as last fetched: shown with its age when the server is unreachable. */
export const teamSchema = z.object({
  at: z.number(),
  byMember: rowsSchema,
  byApp: rowsSchema,
  /** Integration credits by context; `unknown` is where `unobserved` (reconciled) spend lands. */
  byContext: z.optional(rowsSchema),
  names: z.record(z.string(), z.string()),
  appActions: z.record(z.string(), rowsSchema),
});
export type Team = z.infer<typeof teamSchema>;

function validated<T>(key: `local:${string}`, schema: z.ZodMiniType<T>, fallback: T) {
  const item = storage.defineItem<T>(key, { fallback, version: 1 });
  return {
    async get(): Promise<T> {
      const v = await item.getValue();
      const parsed = schema.safeParse(v);
      return parsed.success ? parsed.data : fallback;
    },
    set: (v: T) => item.setValue(v),
    watch: (cb: (v: T) => void) => item.watch((v) => cb(schema.safeParse(v).success ? (v as T) : fallback)),
  };
}

export const items = {
  pairing: validated<Pairing | null>('local:pairing', z.nullable(pairingSchema), null),
  delivery: validated<Delivery>('local:delivery', deliverySchema, { attempts: 0, acked: [], rejected: [] }),
  balance: validated<KnownBalance | null>('local:balance', z.nullable(knownBalanceSchema) as z.ZodMiniType<KnownBalance | null>, null),
  connection: validated<Connection>('local:connection', connectionSchema, { state: 'unpaired', since: 0 }),
  recent: validated<RecentEvent[]>('local:recent', recentSchema, []),
  flows: validated<Flow[]>('local:flows', z.array(flowSchema), []),
  alerts: validated('local:alerts', alertNoteSchema, []),
  prices: validated<Record<string, { credits: number; note?: string } | null>>('local:prices', pricesSchema, {}),
  prefs: validated<Prefs>('local:prefs', prefsSchema, DEFAULT_PREFS),
  domains: validated<string[]>('local:domains', z.array(z.string()), []),
  team: validated<Team | null>('local:team', z.nullable(teamSchema), null),
  /** Which app each tab last made billed calls for (published apps and custom domains carry no id in their URL). */
  tabApps: validated<Record<string, string>>('local:tabApps', z.record(z.string(), z.string()), {}),
  /** Apps of this workspace (server list, plus apps this member opened in the editor); see background/apps.ts. */
  knownApps: validated<string[]>('local:knownApps', z.array(z.string()), []),
  /** Calls in apps not known to be this workspace's: not sent unless their app becomes known. */
  held: validated<UsageEvent[]>('local:held', z.array(usageEventSchema), []),
  /** The pattern pack from the server (shared/readers); the built-in default until the first sync. */
  pack: validated<PatternPack>('local:pack', patternPackSchema, DEFAULT_PACK),
  /** The last believable page reading per pool: the base for plausibility and prompt attribution. */
  pageReadings: validated('local:pageReadings', z.record(z.string(), z.object({ remaining: z.number(), limit: z.optional(z.number()), exact: z.boolean(), at: z.number() })), {} as Record<string, { remaining: number; limit?: number; exact: boolean; at: number }>),
  /** Page readings that failed the plausibility check (shown in the options page). */
  flaggedReadings: validated('local:flaggedReadings', z.array(z.object({ at: z.string(), pool: z.string(), remaining: z.number(), reason: z.string() })), [] as { at: string; pool: string; remaining: number; reason: string }[]),
  outOfCredits: validated('local:outOfCredits', z.nullable(z.object({ at: z.string(), appId: z.optional(z.string()) })), null),
};
