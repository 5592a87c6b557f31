// Alert rules, alerts and channels as the API carries them. Evaluation is pure code in shared/alerts/;
// delivery is I/O in server/alerts and server/channels.
import * as z from 'zod/mini';
import { nameSchema, poolKindSchema, refSchema } from './common';

/** Which balance a rule watches. */
export const alertScopeSchema = z.discriminatedUnion('type', [
  /** Every pool of the balance reply (workspace pools, member pools, app owners' pools). */
  z.strictObject({ type: z.literal('pools'), kind: z.optional(poolKindSchema) }),
  /** One pool: holder "workspace" or "member:<id>". */
  z.strictObject({ type: z.literal('pool'), kind: poolKindSchema, holder: z.string().check(z.regex(/^(workspace|member:[A-Za-z0-9_:.-]{1,64})$/)) }),
  /** An app's budget (PUT .../apps/{id} budget): credits this cycle against it. */
  z.strictObject({ type: z.literal('app'), appId: refSchema, kind: poolKindSchema }),
  /** A member's budget: the message cap in the pool model, or an explicit budget. */
  z.strictObject({ type: z.literal('member'), memberId: refSchema, kind: poolKindSchema, budget: z.optional(z.number().check(z.gt(0))) }),
]);
export type AlertScope = z.infer<typeof alertScopeSchema>;

const thresholds = (max: number) => z.array(z.number().check(z.gt(0), z.lte(max))).check(z.minLength(1), z.maxLength(10));

export const alertConditionSchema = z.discriminatedUnion('type', [
  /** Fires as percent used crosses each threshold (e.g. 50, 80, 95). */
  z.strictObject({ type: z.literal('percent_used'), thresholds: thresholds(100) }),
  /** Fires as remaining credits fall to each threshold or below. */
  z.strictObject({ type: z.literal('remaining_below'), thresholds: thresholds(10_000_000) }),
  /** Fires when the forecast run-out comes at least leadDays before the reset. */
  z.strictObject({ type: z.literal('forecast_runout'), leadDays: z.number().check(z.gte(0), z.lte(31)) }),
  /** Runaway: at least `credits` credits or `calls` calls by one app/action within windowSeconds. */
  z.strictObject({
    type: z.literal('burst'),
    credits: z.optional(z.number().check(z.gt(0))),
    calls: z.optional(z.int().check(z.gte(2))),
    windowSeconds: z.int().check(z.gte(5), z.lte(3600)),
    by: z.optional(z.enum(['app', 'action', 'app+action'])),
  }),
  /** Today's burn above factor × the median of the trailing days. */
  z.strictObject({
    type: z.literal('daily_anomaly'),
    factor: z.number().check(z.gt(1), z.lte(100)),
    trailingDays: z.optional(z.int().check(z.gte(3), z.lte(60))),
    minCredits: z.optional(z.number().check(z.gte(0))),
  }),
]);
export type AlertCondition = z.infer<typeof alertConditionSchema>;

export const alertRuleBodySchema = z.strictObject({
  name: nameSchema,
  enabled: z.optional(z.boolean()),
  scope: alertScopeSchema,
  conditions: z.array(alertConditionSchema).check(z.minLength(1), z.maxLength(10)),
  /** Channel ids to deliver to; empty or absent: every channel. The extension always gets alerts. */
  channels: z.optional(z.array(refSchema).check(z.maxLength(20))),
});
export type AlertRuleBody = z.infer<typeof alertRuleBodySchema>;
export interface AlertRule extends AlertRuleBody {
  id: string;
  enabled: boolean;
  createdAt: string;
}

export interface TopEntry {
  /** The app id, member id or action ("(none)" for events without an app or member). */
  key: string;
  credits: number;
  calls: number;
  /** The app's or member's name, when known (the key stays the id). */
  label?: string;
}

/** What an alert says: enough for a lead to act without opening anything else. */
export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  /** Stable identity of "this rule × scope × condition × threshold × cycle". */
  key: string;
  kind: 'message' | 'integration';
  holder?: string;
  appId?: string;
  memberId?: string;
  condition: AlertCondition['type'];
  threshold?: number;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  detail: string;
  pool?: { remaining: number; limit: number; used: number; exact: boolean; resetAt: string; forecast: { perDay: number; runOutAt?: string; beforeReset: boolean } };
  window: { from: string; to: string };
  top: { apps: TopEntry[]; members: TopEntry[]; actions: TopEntry[] };
  firedAt: string;
  resolvedAt?: string;
  resolvedBecause?: string;
  acks: { memberId: string; at: string }[];
  snoozes: { memberId: string; until: string }[];
  /** Channel ids it was sent to (fixed when it fired; its "resolved" goes to the same ones). */
  channels?: string[];
}

export const alertActionBodySchema = z.strictObject({
  /** Snooze for this many minutes (on all of your devices); omit to acknowledge. */
  snoozeMinutes: z.optional(z.int().check(z.gte(1), z.lte(10080))),
});

export const alertsQuerySchema = z.strictObject({
  state: z.optional(z.enum(['active', 'resolved', 'all'])),
  limit: z.optional(z.string().check(z.regex(/^([1-9]\d{0,2}|1000)$/))),
});

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const emailListSchema = z.array(z.email()).check(z.minLength(1), z.maxLength(50));

/** Where alerts go besides the extension. Secrets (URLs with tokens, SMTP passwords) are never returned in full. */
export const channelBodySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('slack'), name: nameSchema, url: urlSchema, enabled: z.optional(z.boolean()) }),
  z.strictObject({ type: z.literal('discord'), name: nameSchema, url: urlSchema, enabled: z.optional(z.boolean()) }),
  z.strictObject({
    type: z.literal('webhook'),
    name: nameSchema,
    url: urlSchema,
    /** Standard Webhooks signing secret ("whsec_" + base64); generated when absent. */
    secret: z.optional(z.string().check(z.regex(/^whsec_[A-Za-z0-9+/=]{16,200}$/, { error: 'must be whsec_ followed by base64' }))),
    enabled: z.optional(z.boolean()),
  }),
  z.strictObject({
    type: z.literal('email'),
    name: nameSchema,
    smtp: z.strictObject({
      host: z.string().check(z.minLength(1), z.maxLength(255)),
      port: z.int().check(z.gte(1), z.lte(65535)),
      secure: z.optional(z.boolean()),
      user: z.optional(z.string().check(z.maxLength(255))),
      pass: z.optional(z.string().check(z.maxLength(255))),
    }),
    from: z.email(),
    /** Recipients; absent: the workspace's owners and leads that have an email. */
    to: z.optional(emailListSchema),
    enabled: z.optional(z.boolean()),
  }),
]);
export type ChannelBody = z.infer<typeof channelBodySchema>;
export type Channel = ChannelBody & { id: string; enabled: boolean; createdAt: string; secret?: string };

/** What a channel is asked to deliver. */
export type DeliveryMessage =
  | { type: 'alert'; alert: Alert; workspace: { id: string; name: string } }
  | { type: 'alert.resolved'; alert: Alert; workspace: { id: string; name: string } }
  | { type: 'test'; workspace: { id: string; name: string }; at: string };

export const channelPatchSchema = z.strictObject({ name: z.optional(nameSchema), enabled: z.optional(z.boolean()) });
