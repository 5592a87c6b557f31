// Alert rules, channels, alerts (list, acknowledge, snooze) and the delivery log. Rules and channels are
// changed by leads and owners; everyone sees alerts. Channel secrets never leave in full (maskChannel).
import type { AlertRule, AlertRuleBody, Channel, ChannelBody, DeliveryMessage } from '../../shared/schemas/alerts';
import { defaultAlertRules } from '../../shared/alerts';
import type { Auth } from '../http/auth';
import type { Delivery } from '../store/records';
import { maskChannel, newWebhookSecret } from '../channels/send';
import { conflict, invalid, notFound } from './errors';
import { iso, workspaceOf, type DomainDeps } from './deps';

export interface AlertDeps extends DomainDeps {
  enqueue: (wsId: string, deliveries: Delivery[]) => Promise<void>;
}

export async function addDefaultRules(deps: DomainDeps, wsId: string): Promise<void> {
  const at = iso(deps.now());
  await Promise.all(defaultAlertRules().map((body) => deps.store.commit({ op: 'rule.put', wsId, rule: { ...body, id: deps.ids.id('rule'), enabled: body.enabled ?? true, createdAt: at } }).durable));
}

function checkChannels(deps: DomainDeps, wsId: string, body: AlertRuleBody): void {
  const ws = workspaceOf(deps, wsId);
  const unknown = (body.channels ?? []).filter((id) => !ws.channels.some((c) => c.id === id));
  if (unknown.length) throw invalid('the rule names unknown channels', unknown.map((id) => ({ path: 'body.channels', message: `no channel ${id}` })));
}

export function listRules(deps: DomainDeps, wsId: string) {
  return { rules: workspaceOf(deps, wsId).rules };
}

export async function addRule(deps: DomainDeps, auth: Auth, body: AlertRuleBody) {
  checkChannels(deps, auth.wsId, body);
  const rule: AlertRule = { ...body, id: deps.ids.id('rule'), enabled: body.enabled ?? true, createdAt: iso(deps.now()) };
  await deps.store.commit({ op: 'rule.put', wsId: auth.wsId, rule }).durable;
  deps.feed.changed(auth.wsId);
  return rule;
}

export async function replaceRule(deps: DomainDeps, auth: Auth, ruleId: string, body: AlertRuleBody) {
  const prev = workspaceOf(deps, auth.wsId).rules.find((r) => r.id === ruleId);
  if (!prev) throw notFound('rule');
  checkChannels(deps, auth.wsId, body);
  const rule: AlertRule = { ...body, id: ruleId, enabled: body.enabled ?? true, createdAt: prev.createdAt };
  await deps.store.commit({ op: 'rule.put', wsId: auth.wsId, rule }).durable;
  deps.feed.changed(auth.wsId);
  return rule;
}

export async function removeRule(deps: DomainDeps, auth: Auth, ruleId: string) {
  if (!workspaceOf(deps, auth.wsId).rules.some((r) => r.id === ruleId)) throw notFound('rule');
  await deps.store.commit({ op: 'rule.remove', wsId: auth.wsId, ruleId }).durable;
  deps.feed.changed(auth.wsId);
}

export function listChannels(deps: DomainDeps, wsId: string) {
  return { channels: workspaceOf(deps, wsId).channels.map(maskChannel) };
}

export async function addChannel(deps: DomainDeps, auth: Auth, body: ChannelBody) {
  const secret = body.type === 'webhook' && !body.secret ? newWebhookSecret() : undefined;
  const channel = { ...body, ...(secret ? { secret } : {}), id: deps.ids.id('ch'), enabled: body.enabled ?? true, createdAt: iso(deps.now()) } as Channel;
  await deps.store.commit({ op: 'channel.put', wsId: auth.wsId, channel }).durable;
  // A generated signing secret is shown this once, so the receiver can be set up; never again after.
  return { ...maskChannel(channel), ...(secret ? { secret, secretShownOnce: true } : {}) };
}

export async function patchChannel(deps: DomainDeps, auth: Auth, channelId: string, patch: { name?: string; enabled?: boolean }) {
  const prev = workspaceOf(deps, auth.wsId).channels.find((c) => c.id === channelId);
  if (!prev) throw notFound('channel');
  const channel = { ...prev, ...patch } as Channel;
  await deps.store.commit({ op: 'channel.put', wsId: auth.wsId, channel }).durable;
  return maskChannel(channel);
}

export async function removeChannel(deps: DomainDeps, auth: Auth, channelId: string) {
  const ws = workspaceOf(deps, auth.wsId);
  if (!ws.channels.some((c) => c.id === channelId)) throw notFound('channel');
  // A rule naming only this channel would otherwise fall back to "every channel" without anyone deciding so.
  const users = ws.rules.filter((r) => r.channels?.includes(channelId));
  if (users.length) throw conflict(`rules still send to this channel: ${users.map((r) => r.name).join(', ')}; change them first`);
  await deps.store.commit({ op: 'channel.remove', wsId: auth.wsId, channelId }).durable;
}

/** "Send test": a delivery like any other, with its own log. */
export async function testChannel(deps: AlertDeps, auth: Auth, channelId: string) {
  if (!workspaceOf(deps, auth.wsId).channels.some((c) => c.id === channelId)) throw notFound('channel');
  const d: Delivery = { id: deps.ids.id('dl'), channelId, message: 'test', state: 'pending', attempts: [], createdAt: iso(deps.now()) };
  await deps.enqueue(auth.wsId, [d]);
  return { deliveryId: d.id };
}

export function listAlerts(deps: DomainDeps, wsId: string, q: { state?: 'active' | 'resolved' | 'all'; limit?: string }) {
  const state = q.state ?? 'all';
  const alerts = workspaceOf(deps, wsId)
    .alerts.filter((a) => state === 'all' || (state === 'active' ? !a.resolvedAt : !!a.resolvedAt))
    .slice()
    .reverse()
    .slice(0, q.limit ? Number(q.limit) : 100);
  return { alerts };
}

/** Acknowledge (or snooze) for the calling member: all their devices follow, and the team sees who did. */
export async function actOnAlert(deps: DomainDeps, auth: Auth, alertId: string, snoozeMinutes?: number) {
  const ws = workspaceOf(deps, auth.wsId);
  const alert = ws.alerts.find((a) => a.id === alertId);
  if (!alert) throw notFound('alert');
  const now = deps.now();
  const record = snoozeMinutes
    ? ({ op: 'alert.snooze', wsId: auth.wsId, alertId, memberId: auth.memberId, until: iso(now + snoozeMinutes * 60_000) } as const)
    : ({ op: 'alert.ack', wsId: auth.wsId, alertId, memberId: auth.memberId, at: iso(now) } as const);
  await deps.store.commit(record).durable;
  // The updated alert goes out under the same id: every device of every member updates its copy.
  deps.hub.publish(auth.wsId, 'alert', alert);
  return alert;
}

export function alertDeliveries(deps: DomainDeps, wsId: string, alertId: string) {
  const ws = workspaceOf(deps, wsId);
  if (!ws.alerts.some((a) => a.id === alertId)) throw notFound('alert');
  return { deliveries: Object.values(ws.deliveries).filter((d) => d.alertId === alertId) };
}

export function deliveryOf(deps: DomainDeps, wsId: string, deliveryId: string) {
  const d = workspaceOf(deps, wsId).deliveries[deliveryId];
  if (!d || !Object.hasOwn(workspaceOf(deps, wsId).deliveries, deliveryId)) throw notFound('delivery');
  return d;
}

/** The message a delivery carries, rebuilt from the store. */
export function deliveryMessage(deps: DomainDeps, wsId: string, d: Delivery): DeliveryMessage | undefined {
  const ws = deps.store.state.workspaces[wsId];
  if (!ws) return undefined;
  const workspace = { id: ws.settings.id, name: ws.settings.name };
  if (d.message === 'test') return { type: 'test', workspace, at: d.createdAt };
  const alert = ws.alerts.find((a) => a.id === d.alertId);
  return alert && { type: d.message, alert, workspace };
}

/** Email recipients when a channel names none: owners and leads with an address. */
export function leadEmails(deps: DomainDeps, wsId: string): string[] {
  const ws = deps.store.state.workspaces[wsId];
  return ws ? Object.values(ws.members).filter((m) => m.email && (m.role === 'owner' || m.role === 'lead')).map((m) => m.email!) : [];
}
