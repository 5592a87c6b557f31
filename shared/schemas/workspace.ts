// Workspace settings (API.md "Workspace settings", fixed), members, apps and the price table.
import * as z from 'zod/mini';
import { billingModelSchema, creditsSchema, isoTimeSchema, limitsSchema, nameSchema, planSchema, refSchema, roleSchema } from './common';

export const timezoneSchema = z.string().check(
  z.refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, { error: 'must be an IANA time zone such as Europe/Berlin or UTC' }),
);

export const memberCapsSchema = z.strictObject({
  /** Pool model: message-credit cap for every member without an override. */
  default: z.optional(z.nullable(creditsSchema)),
  byMember: z.optional(z.record(refSchema, creditsSchema)),
});

export const workspacePatchSchema = z.strictObject({
  name: z.optional(nameSchema),
  billingModel: z.optional(billingModelSchema),
  plan: z.optional(planSchema),
  limits: z.optional(z.nullable(limitsSchema)),
  cycleAnchor: z.optional(isoTimeSchema),
  timezone: z.optional(timezoneSchema),
  memberCaps: z.optional(memberCapsSchema),
});
export type WorkspacePatch = z.infer<typeof workspacePatchSchema>;

export interface WorkspaceSettings {
  id: string;
  name: string;
  billingModel: 'pool' | 'seat';
  plan: z.infer<typeof planSchema>;
  limits?: { message: number; integration: number };
  cycleAnchor: string;
  timezone: string;
  memberCaps: { default?: number | null; byMember?: Record<string, number> };
  createdAt: string;
}

export const memberPatchSchema = z.strictObject({ role: z.optional(roleSchema), name: z.optional(nameSchema) });

export const appPutSchema = z.strictObject({
  name: z.optional(nameSchema),
  /** Seat model: whose integration credits the app spends. Defaults to the workspace owner. */
  ownerId: z.optional(z.nullable(refSchema)),
  budget: z.optional(z.nullable(z.strictObject({ message: z.optional(creditsSchema), integration: z.optional(creditsSchema) }))),
  /** Core.SendEmail costs 2 credits when the app sends from a custom domain. */
  customEmailDomain: z.optional(z.boolean()),
});

export const priceEntrySchema = z.strictObject({
  credits: creditsSchema,
  note: z.optional(z.string().check(z.maxLength(200))),
});
/** Keys are actions ("Core.InvokeLLM") or prefixes ending in "*" ("connector:*"). null removes an override. */
export const pricePatchSchema = z.strictObject({
  prices: z.record(z.string().check(z.regex(/^[A-Za-z0-9_.:/@+-]{1,120}\*?$/)), z.nullable(priceEntrySchema)),
});
/** Accepting or dismissing a learned price. `proposed`, when sent, is the figure the lead saw: 409 if it changed since. */
export const priceProposalDecisionSchema = z.strictObject({ proposed: z.optional(creditsSchema) });
export type PriceProposalDecision = z.infer<typeof priceProposalDecisionSchema>;
