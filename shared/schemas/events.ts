// Usage events: one credit-spending call (or a reconciled remainder). API.md "Usage events" (fixed).
import * as z from 'zod/mini';
import { creditsSchema, idSchema, isoTimeSchema, poolKindSchema, refSchema } from './common';

export const contexts = ['preview', 'published', 'local-dev', 'editor', 'backend', 'unknown'] as const;
export const contextSchema = z.enum(contexts);
export type Context = z.infer<typeof contextSchema>;
export const outcomeSchema = z.enum(['ok', 'failed', 'out_of_credits']);
export type Outcome = z.infer<typeof outcomeSchema>;

export const actionSchema = z.string().check(
  z.regex(/^[A-Za-z0-9_.:/@+-]{1,120}$/, { error: 'must be 1–120 characters such as Core.InvokeLLM or connector:googlemaps' }),
);

/** What a client sends. `credits` is what the call cost (0 when it was not charged). */
export const usageEventSchema = z.strictObject({
  id: idSchema,
  at: isoTimeSchema,
  kind: poolKindSchema,
  credits: creditsSchema,
  exact: z.boolean(),
  action: actionSchema,
  appId: z.optional(refSchema),
  context: contextSchema,
  outcome: outcomeSchema,
  flowId: z.optional(idSchema),
  memberId: z.optional(refSchema),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

/** What the server keeps: the event plus who sent it and when it arrived. */
export interface StoredUsageEvent extends UsageEvent {
  receivedAt: string;
}

export const ingestBodySchema = z.strictObject({
  events: z.array(usageEventSchema).check(z.minLength(1, { error: 'send 1–1000 events' }), z.maxLength(1000, { error: 'send 1–1000 events' })),
});
export type IngestBody = z.infer<typeof ingestBodySchema>;
export const ingestReplySchema = z.object({ accepted: z.number(), duplicates: z.number() });
