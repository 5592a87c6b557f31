// Readings: a balance seen elsewhere (the page, Base44's Monitoring API, a lead). API.md "Readings" (fixed).
import * as z from 'zod/mini';
import { creditsSchema, holderSchema, isoTimeSchema, poolKindSchema } from './common';

export const readingSourceSchema = z.enum(['page', 'monitoring-api', 'manual']);
export type ReadingSource = z.infer<typeof readingSourceSchema>;

export const readingBodySchema = z.strictObject({
  pool: poolKindSchema,
  holder: z.optional(holderSchema),
  remaining: creditsSchema,
  limit: z.optional(creditsSchema),
  used: z.optional(creditsSchema),
  at: isoTimeSchema,
  source: readingSourceSchema,
  /** false when the page showed a rounded figure such as "1.2k". Default true. */
  exact: z.optional(z.boolean()),
});
export type ReadingBody = z.infer<typeof readingBodySchema>;

export interface Reading {
  id: string;
  pool: 'message' | 'integration';
  holder: string;
  remaining: number;
  limit?: number;
  used?: number;
  at: string;
  source: ReadingSource;
  exact: boolean;
  memberId?: string;
  receivedAt: string;
}
