// Building blocks shared by every schema. zod/mini keeps the extension bundles small; the server uses the
// same schemas (and turns on English messages once, in server/app.ts).
import * as z from 'zod/mini';

export const isoTimeSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-11-24T09:30:00Z' });
export const idSchema = z.string().check(
  z.regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'must be 8–64 characters of A–Z, a–z, 0–9, _ or -' }),
);
import { RESERVED_IDS } from './reserved';
export { RESERVED_IDS };
/** Ids the server makes (members, apps, grants): same alphabet, any length 1–64. */
export const refSchema = z.string().check(
  z.regex(/^[A-Za-z0-9_:.-]{1,64}$/, { error: 'must be 1–64 characters of A–Z, a–z, 0–9, _ : . or -' }),
  z.refine((v) => !RESERVED_IDS.has(v), { error: 'is a reserved name' }),
);
export const nameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(120));
export const creditsSchema = z.number().check(z.gte(0), z.lte(100000));

export const poolKinds = ['message', 'integration'] as const;
export const poolKindSchema = z.enum(poolKinds);
export type PoolKind = z.infer<typeof poolKindSchema>;

export const roles = ['owner', 'lead', 'collaborator', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;
/** Higher number, more rights. */
export const roleRank: Record<Role, number> = { owner: 3, lead: 2, collaborator: 1, viewer: 0 };

export const plans = ['free', 'starter', 'builder', 'pro', 'elite', 'custom'] as const;
export const planSchema = z.enum(plans);
export type Plan = z.infer<typeof planSchema>;

export const billingModelSchema = z.enum(['pool', 'seat']);
export type BillingModel = z.infer<typeof billingModelSchema>;

/** "workspace" or "member:<id>" (a member's own pool, a member's cap, or an app owner's pool). */
export const holderSchema = z.string().check(
  z.regex(/^(workspace|member:[A-Za-z0-9_:.-]{1,64})$/, { error: 'must be "workspace" or "member:<id>"' }),
);
export type Holder = z.infer<typeof holderSchema>;

// Custom (enterprise) plans can exceed the largest published plan by far.
const limitSchema = z.number().check(z.gte(0), z.lte(100_000_000));
export const limitsSchema = z.strictObject({ message: limitSchema, integration: limitSchema });
export type Limits = z.infer<typeof limitsSchema>;
