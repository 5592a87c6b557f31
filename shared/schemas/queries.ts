// Query strings. Everything arrives as a string; each schema says what it turns into.
import * as z from 'zod/mini';
import { isoTimeSchema, poolKindSchema, refSchema } from './common';
import { actionSchema, contextSchema } from './events';

export const groupBys = ['app', 'member', 'action', 'context', 'day'] as const;
export const usageQuerySchema = z.strictObject({
  from: z.optional(isoTimeSchema),
  to: z.optional(isoTimeSchema),
  kind: z.optional(poolKindSchema),
  appId: z.optional(refSchema),
  memberId: z.optional(refSchema),
  groupBy: z.optional(z.enum(groupBys)),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const eventsQuerySchema = z.strictObject({
  from: z.optional(isoTimeSchema),
  to: z.optional(isoTimeSchema),
  kind: z.optional(poolKindSchema),
  appId: z.optional(refSchema),
  memberId: z.optional(refSchema),
  action: z.optional(actionSchema),
  context: z.optional(contextSchema),
  limit: z.optional(z.string().check(z.regex(/^([1-9]\d{0,2}|1000)$/, { error: 'must be a whole number from 1 to 1000' }))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  format: z.optional(z.enum(['json', 'csv'])),
});
export type EventsQuery = z.infer<typeof eventsQuerySchema>;

export const streamQuerySchema = z.strictObject({ token: z.optional(z.string().check(z.maxLength(200))) });
