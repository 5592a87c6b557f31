// Grants: credits on top of the plan — purchased top-ups and bonus/coupon credits.
import * as z from 'zod/mini';
import { creditsSchema, holderSchema, isoTimeSchema, poolKindSchema } from './common';

export const grantTypeSchema = z.enum(['topup', 'bonus']);
export const grantBodySchema = z.strictObject({
  kind: poolKindSchema,
  type: grantTypeSchema,
  credits: z.number().check(z.gt(0), z.lte(1000000)),
  holder: z.optional(holderSchema),
  /** When it was bought or granted; defaults to now. */
  purchasedAt: z.optional(isoTimeSchema),
  /** Defaults to one year after purchasedAt (Base44's top-up validity). */
  expiresAt: z.optional(isoTimeSchema),
  note: z.optional(z.string().check(z.maxLength(200))),
});
export type GrantBody = z.infer<typeof grantBodySchema>;

export interface Grant {
  id: string;
  kind: 'message' | 'integration';
  type: 'topup' | 'bonus';
  credits: number;
  holder: string;
  purchasedAt: string;
  expiresAt: string;
  note?: string;
}
