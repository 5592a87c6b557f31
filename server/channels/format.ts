// What each channel is sent: Slack Block Kit, a Discord embed, a Standard Webhooks envelope and an email, all
// built from one DeliveryMessage. Pure (no I/O, no clock): the same message always gives the same payloads, so a
// retried delivery sends exactly what the first attempt sent. Every text that came from users (app, member and
// rule names, details) is escaped for its target and every field is cut to the limit the target documents.
import { NONE_KEY } from '../../shared/ledger/usage';
import type { Alert, DeliveryMessage, TopEntry } from '../../shared/schemas/alerts';

// ---------------------------------------------------------------------------------------------------------
// Plain facts, shared by every format

/** Whole credits from 100 up, one decimal below (a Discuss message costs 0.3): "1,950", "0.3". */
export function formatCredits(x: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(x) < 100 ? 1 : 0 }).format(x);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Dec 1, 09:00 UTC"; with the year ("Jan 3 2027, 09:00 UTC") when it differs from `ref`'s year. */
export function formatTime(iso: string, ref?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const refYear = ref !== undefined ? new Date(ref).getUTCFullYear() : d.getUTCFullYear();
  const year = d.getUTCFullYear() !== refYear ? ` ${d.getUTCFullYear()}` : '';
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}${year}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "Dec 1, 08:55 – 09:00 UTC" (the end's date only when it is another day). */
function formatSpan(fromIso: string, toIso: string): string {
  const a = new Date(fromIso);
  const b = new Date(toIso);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${fromIso} – ${toIso}`;
  const sameDay = a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);
  const start = formatTime(fromIso, toIso).replace(/ UTC$/, '');
  return `${start} – ${sameDay ? `${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())} UTC` : formatTime(toIso, fromIso)}`;
}

/** "1,950 of 10,000 integration credits left" (+ " (estimate)" when the figures are not exact). */
export function leftText(pool: NonNullable<Alert['pool']>, kind: Alert['kind']): string {
  return `${formatCredits(Math.max(0, pool.remaining))} of ${formatCredits(pool.limit)} ${kind} credits left${pool.exact ? '' : ' (estimate)'}`;
}

function forecastText(pool: NonNullable<Alert['pool']>, ref: string): string {
  const { perDay, runOutAt, beforeReset } = pool.forecast;
  if (pool.remaining <= 0) return 'Nothing left until the reset';
  if (!(perDay > 0)) return 'No recent use';
  const rate = `~${formatCredits(perDay)}/day`;
  if (runOutAt !== undefined && beforeReset) return `${rate}; runs out ${formatTime(runOutAt, ref)}, before the reset`;
  return `${rate}; lasts past the reset`;
}

type TopKind = keyof Alert['top'];
const TOP_NAMES: Record<TopKind, { title: string; none: string }> = {
  apps: { title: 'Top apps', none: 'no app' },
  members: { title: 'Top members', none: 'no member' },
  actions: { title: 'Top actions', none: 'no action' },
};
const TOP_SHOWN = 5;
const NAME_MAX = 60;

function entryName(e: TopEntry, kind: TopKind): string {
  if (e.key === NONE_KEY) return TOP_NAMES[kind].none;
  return truncate(e.label ?? e.key, NAME_MAX);
}

/** "Shop: 820 (41 calls)". */
function entryText(e: TopEntry, kind: TopKind): string {
  return `${entryName(e, kind)}: ${formatCredits(e.credits)} (${e.calls} call${e.calls === 1 ? '' : 's'})`;
}

const SEVERITY_LABEL: Record<Alert['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

interface Facts {
  state: 'fired' | 'resolved' | 'test';
  severity: Alert['severity'];
  /** Headline: the alert's title, "Resolved: <title>", or the test's. */
  heading: string;
  /** One line for notifications and fallbacks. */
  summary: string;
  /** The evaluator's sentences (or the test's). */
  detail: string;
  /** Label/value pairs: Left, Resets, Forecast, Period, App, Member, Rule, Workspace. */
  lines: { label: string; value: string; short: boolean }[];
  top: { kind: TopKind; title: string; entries: string[] }[];
  resolved?: { because: string; at?: string };
  timestamp: string;
  workspace: string;
}

function labelOf(list: TopEntry[], id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const label = list.find((e) => e.key === id)?.label;
  return label !== undefined && label !== id ? `${truncate(label, NAME_MAX)} (${truncate(id, NAME_MAX)})` : truncate(id, NAME_MAX);
}

function facts(msg: DeliveryMessage): Facts {
  const workspace = msg.workspace.name || msg.workspace.id;
  if (msg.type === 'test') {
    return {
      state: 'test',
      severity: 'info',
      heading: 'Creditwatch test message',
      summary: `Creditwatch test message for ${workspace}: alerts will arrive here.`,
      detail: `This is a test from Creditwatch for the workspace ${workspace}. If you can read it, alerts will arrive here.`,
      lines: [{ label: 'Workspace', value: workspace, short: true }, { label: 'Sent', value: formatTime(msg.at), short: true }],
      top: [],
      timestamp: msg.at,
      workspace,
    };
  }
  const a = msg.alert;
  const resolved = msg.type === 'alert.resolved';
  const ref = a.firedAt;
  const lines: Facts['lines'] = [];
  if (a.pool) {
    // The pool figures are those of the moment the alert fired; a resolution must not pass them off as current.
    lines.push({ label: resolved ? 'Left when fired' : 'Left', value: leftText(a.pool, a.kind), short: true });
    lines.push({ label: 'Resets', value: formatTime(a.pool.resetAt, ref), short: true });
    lines.push({ label: 'Forecast', value: forecastText(a.pool, ref), short: true });
  }
  lines.push({ label: 'Period', value: formatSpan(a.window.from, a.window.to), short: true });
  const app = labelOf(a.top.apps, a.appId);
  if (app !== undefined) lines.push({ label: 'App', value: app, short: true });
  const member = labelOf(a.top.members, a.memberId);
  if (member !== undefined) lines.push({ label: 'Member', value: member, short: true });
  lines.push({ label: 'Rule', value: truncate(a.ruleName, 120), short: true });
  lines.push({ label: 'Workspace', value: truncate(workspace, 120), short: true });

  const top = (Object.keys(TOP_NAMES) as TopKind[])
    .map((kind) => ({ kind, title: TOP_NAMES[kind].title, entries: a.top[kind].slice(0, TOP_SHOWN).map((e) => entryText(e, kind)) }))
    .filter((t) => t.entries.length > 0);

  const title = oneLine(a.title) || 'Creditwatch alert';
  const heading = resolved ? `Resolved: ${title}` : title;
  const left = a.pool && !resolved ? ` — ${leftText(a.pool, a.kind)}` : '';
  const out: Facts = {
    state: resolved ? 'resolved' : 'fired',
    severity: a.severity,
    heading,
    summary: `${resolved ? 'Resolved' : SEVERITY_LABEL[a.severity]}: ${title}${left} (${workspace})`,
    detail: a.detail,
    lines,
    top,
    timestamp: resolved ? (a.resolvedAt ?? a.firedAt) : a.firedAt,
    workspace,
  };
  if (resolved) out.resolved = { because: a.resolvedBecause || 'the condition no longer holds', at: a.resolvedAt };
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Cuts `s` to at most `max` UTF-16 code units (never more code points either), ending with "…", without
 * splitting a surrogate pair, an HTML/mrkdwn entity ("&amp;") or a trailing backslash escape.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-zA-Z#0-9]{0,8}$/, '');
  if (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return cut + '…';
}

/** Slack mrkdwn: only &, < and > are control characters (so "<!channel>" or a link can't be injected). */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Discord markdown: backslash-escape emphasis, code, spoilers, masked links ("[x](url)"), mentions and
 * timestamps ("<@…>", "<t:…>"), and headings or list markers at the start of a line.
 */
export const escapeDiscord = (s: string) => s.replace(/[\\*_~`|[\]<>]/g, '\\$&').replace(/^([#-])/gm, '\\$1');

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// ---------------------------------------------------------------------------------------------------------
// Slack

export interface SlackPlainText { type: 'plain_text'; text: string; emoji?: boolean }
export interface SlackMrkdwn { type: 'mrkdwn'; text: string }
export type SlackBlock =
  | { type: 'header'; text: SlackPlainText }
  | { type: 'section'; text: SlackMrkdwn }
  | { type: 'context'; elements: SlackMrkdwn[] }
  | { type: 'divider' };
export interface SlackPayload { text: string; blocks: SlackBlock[] }

/** Slack's documented limits (Block Kit reference). */
export const SLACK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, contextElements: 10, text: 3000 } as const;

const SLACK_EMOJI = { critical: '🔴', warning: '🟠', info: '🔵', resolved: '✅', test: '🧪' } as const;

/** Slack incoming-webhook body: a fallback `text` (notifications) and Block Kit blocks. */
export function slackPayload(msg: DeliveryMessage): SlackPayload {
  const f = facts(msg);
  const emoji = f.state === 'fired' ? SLACK_EMOJI[f.severity] : SLACK_EMOJI[f.state];
  const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${emoji} ${oneLine(f.heading)}`, SLACK_LIMITS.header), emoji: true } },
  ];
  if (f.resolved) {
    const at = f.resolved.at ? ` (${formatTime(f.resolved.at, f.timestamp)})` : '';
    blocks.push(section(`*Resolved:* ${escapeMrkdwn(truncate(oneLine(f.resolved.because), 500))}${at}`));
  }
  if (f.detail) blocks.push(section(escapeMrkdwn(truncate(f.detail, 1500))));
  blocks.push(section(f.lines.map((l) => `*${l.label}:* ${escapeMrkdwn(l.value)}`).join('\n')));
  if (f.top.length) {
    blocks.push({
      type: 'context',
      elements: f.top.map((t) => ({ type: 'mrkdwn', text: truncate(`*${t.title}:* ${t.entries.map(escapeMrkdwn).join(' · ')}`, SLACK_LIMITS.text) })),
    });
  }
  const state = f.state === 'fired' ? SEVERITY_LABEL[f.severity] : f.state === 'resolved' ? 'Resolved' : 'Test';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Creditwatch · ${state} · ${formatTime(f.timestamp)}` }] });
  return { text: truncate(escapeMrkdwn(oneLine(f.summary)), SLACK_LIMITS.text), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

// ---------------------------------------------------------------------------------------------------------
// Discord

export interface DiscordField { name: string; value: string; inline: boolean }
export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: DiscordField[];
  timestamp: string;
  footer: { text: string };
}
export interface DiscordPayload { content?: string; embeds: DiscordEmbed[]; allowed_mentions: { parse: never[] } }

/** Discord's documented limits (Message resource, embed limits). */
export const DISCORD_LIMITS = { content: 2000, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;
export const DISCORD_COLORS = { critical: 0xe5484d, warning: 0xf5a524, info: 0x30a46c, resolved: 0x30a46c } as const;

/** Normalised ISO-8601 ("...Z"); an unparseable value is passed on as it is rather than thrown on. */
const isoOf = (s: string) => (Number.isNaN(Date.parse(s)) ? s : new Date(s).toISOString());

/** Discord webhook body: one embed, no mentions parsed (an app named "@everyone" pings nobody). */
export function discordPayload(msg: DeliveryMessage): DiscordPayload {
  const f = facts(msg);
  const color = f.state === 'resolved' || f.state === 'test' ? DISCORD_COLORS.resolved : DISCORD_COLORS[f.severity];
  const title = truncate(oneLine(f.heading), DISCORD_LIMITS.title);
  const footer = 'Creditwatch';
  const parts: string[] = [];
  if (f.resolved) {
    const at = f.resolved.at ? ` (${formatTime(f.resolved.at, f.timestamp)})` : '';
    parts.push(`**Resolved:** ${escapeDiscord(truncate(oneLine(f.resolved.because), 500))}${at}`);
  }
  if (f.detail) parts.push(escapeDiscord(truncate(f.detail, 2000)));
  const description = truncate(parts.join('\n\n'), DISCORD_LIMITS.description) || '\u200b';
  const field = (name: string, value: string, inline: boolean): DiscordField => ({
    name: truncate(name, DISCORD_LIMITS.fieldName),
    value: truncate(value, DISCORD_LIMITS.fieldValue) || '—',
    inline,
  });
  const fields: DiscordField[] = [
    ...f.lines.map((l) => field(l.label, escapeDiscord(l.value), l.short)),
    ...f.top.map((t) => field(t.title, t.entries.map((e) => `• ${escapeDiscord(e)}`).join('\n'), false)),
  ].slice(0, DISCORD_LIMITS.fields);
  // The 6,000-character budget covers title, description, field names and values and the footer together:
  // drop fields from the end until it fits (the description and the first facts matter most).
  const size = () => title.length + description.length + footer.length + fields.reduce((n, x) => n + x.name.length + x.value.length, 0);
  while (fields.length && size() > DISCORD_LIMITS.total) fields.pop();
  const embed: DiscordEmbed = { title, description, color, fields, timestamp: isoOf(f.timestamp), footer: { text: footer } };
  return { content: truncate(escapeDiscord(oneLine(f.summary)), DISCORD_LIMITS.content), embeds: [embed], allowed_mentions: { parse: [] } };
}

// ---------------------------------------------------------------------------------------------------------
// Generic webhook (Standard Webhooks envelope)

export type WebhookEventType = 'alert.fired' | 'alert.resolved' | 'test';
export interface WebhookPayload {
  type: WebhookEventType;
  /** When the event happened (fired, resolved, or the test was asked for), ISO-8601. */
  timestamp: string;
  data: { workspace: { id: string; name: string }; alert?: Alert; message?: string };
}

/** `{ type, timestamp, data }` as Standard Webhooks recommends; the alert is metadata only (no request contents). */
export function webhookPayload(msg: DeliveryMessage): WebhookPayload {
  const workspace = { id: msg.workspace.id, name: msg.workspace.name };
  if (msg.type === 'test') {
    return { type: 'test', timestamp: msg.at, data: { workspace, message: 'Creditwatch test message: alerts will arrive here.' } };
  }
  const resolved = msg.type === 'alert.resolved';
  return {
    type: resolved ? 'alert.resolved' : 'alert.fired',
    timestamp: resolved ? (msg.alert.resolvedAt ?? msg.alert.firedAt) : msg.alert.firedAt,
    data: { workspace, alert: msg.alert },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Email

export interface EmailMessage { subject: string; text: string; html: string }

/** A short email: subject with severity, then the same facts as the chat formats; HTML fully escaped. */
export function emailMessage(msg: DeliveryMessage): EmailMessage {
  const f = facts(msg);
  const subjectCore = f.state === 'fired' ? `${SEVERITY_LABEL[f.severity]}: ${f.heading}` : f.state === 'test' ? 'Test message' : f.heading;
  const subject = truncate(oneLine(`[Creditwatch] ${subjectCore}`), 200);

  const text: string[] = [oneLine(f.heading), ''];
  if (f.resolved) text.push(`Resolved: ${oneLine(f.resolved.because)}${f.resolved.at ? ` (${formatTime(f.resolved.at, f.timestamp)})` : ''}`, '');
  if (f.detail) text.push(f.detail, '');
  for (const l of f.lines) text.push(`${l.label}: ${l.value}`);
  for (const t of f.top) text.push('', `${t.title}:`, ...t.entries.map((e) => `  - ${e}`));
  text.push('', '— Creditwatch');

  const color = f.state === 'resolved' || f.state === 'test' ? DISCORD_COLORS.resolved : DISCORD_COLORS[f.severity];
  const hex = `#${color.toString(16).padStart(6, '0')}`;
  const h = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;font-size:14px;color:#1c2024">',
    `<h2 style="margin:0 0 8px;border-left:4px solid ${hex};padding-left:8px">${h(oneLine(f.heading))}</h2>`,
    f.resolved ? `<p><strong>Resolved:</strong> ${h(oneLine(f.resolved.because))}${f.resolved.at ? ` (${h(formatTime(f.resolved.at, f.timestamp))})` : ''}</p>` : '',
    f.detail ? `<p>${h(f.detail)}</p>` : '',
    '<table style="border-collapse:collapse">',
    ...f.lines.map((l) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${h(l.label)}</th><td>${h(l.value)}</td></tr>`),
    '</table>',
    ...f.top.map((t) => `<p style="margin:12px 0 4px"><strong>${h(t.title)}</strong></p><ul style="margin:0">${t.entries.map((e) => `<li>${h(e)}</li>`).join('')}</ul>`),
    '<p style="color:#60646c;font-size:12px">Creditwatch</p>',
    '</body></html>',
  ]
    .filter((s) => s)
    .join('\n');
  return { subject, text: text.join('\n'), html };
}
