// The reply metadata's bounds as a schema, for metadata that arrives from a page's main world (untrusted).
// Kept apart from reply-meta.ts so the page hook, which only extracts, does not bundle zod.
import * as z from 'zod/mini';
import { CODE, MAX_CREDITS } from './reply-meta';

export const replyMetaSchema = z.strictObject({
  creditsCharged: z.optional(z.number().check(z.gte(0), z.lte(MAX_CREDITS))),
  phase: z.optional(z.string().check(z.regex(CODE))),
  reason: z.optional(z.string().check(z.regex(CODE))),
});
