// The balance reply (API.md "Balance", fixed) and the forecast it carries.
import * as z from 'zod/mini';

export const forecastSchema = z.object({
  perDay: z.number(),
  runOutAt: z.optional(z.string()),
  beforeReset: z.boolean(),
});
export type Forecast = z.infer<typeof forecastSchema>;

export const poolBalanceSchema = z.object({
  kind: z.enum(['message', 'integration']),
  holder: z.string(),
  limit: z.number(),
  used: z.number(),
  remaining: z.number(),
  exact: z.boolean(),
  readingAt: z.optional(z.string()),
  cycle: z.object({ start: z.string(), end: z.string() }),
  forecast: forecastSchema,
  /** Free plan: the daily message allowance, which caps `remaining`. */
  daily: z.optional(z.object({ limit: z.number(), used: z.number(), remaining: z.number(), resetAt: z.string() })),
  /** Grants still usable: bonus and top-up credits left. */
  grants: z.optional(z.object({ remaining: z.number(), nextExpiry: z.optional(z.string()) })),
});
export type PoolBalance = z.infer<typeof poolBalanceSchema>;
export const balanceReplySchema = z.object({ pools: z.array(poolBalanceSchema), at: z.string() });
