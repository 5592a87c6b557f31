// Pairing and invites (API.md "Pairing", fixed).
import * as z from 'zod/mini';
import { nameSchema, refSchema, roleSchema } from './common';

export const inviteBodySchema = z.strictObject({
  role: roleSchema,
  name: z.optional(nameSchema),
  email: z.optional(z.email()),
  /** Pair another device for an existing member instead of creating one. */
  memberId: z.optional(refSchema),
  /** Minutes until the code expires; default 24 h, at most 30 days. */
  ttlMinutes: z.optional(z.int().check(z.gte(1), z.lte(43200))),
});
export type InviteBody = z.infer<typeof inviteBodySchema>;

export const pairBodySchema = z.strictObject({
  code: z.string().check(z.trim(), z.minLength(4), z.maxLength(64)),
  deviceName: z.optional(z.string().check(z.maxLength(120))),
});
export const newWorkspaceBodySchema = z.strictObject({ name: nameSchema });
