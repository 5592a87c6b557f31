// The popup's state: the background's `status` reply, fetched on open, every 5 s while open and on refresh,
// and the pure views derived from it ("how much is left, until when, will it last, what did that click cost,
// who is spending"). All times are measured against `status.now` (the background's clock), so a view is a
// function of the reply alone and tests need no clock.
import { computed, createModel, effect, signal, untracked } from '@preact/signals';
import { ago, inWords, LEVEL_COLOURS, levelOf, type Level } from '../../shared/format';
import type { PoolKind } from '../../shared/schemas/common';
import type { Context } from '../../shared/schemas/events';
import { poolFor } from '../background/badge';
import type { Status } from '../background/status';
import type { Flow } from '../utils/storage';
import { actionLabel, creditsDown, creditsText, nameOf, POOL_LABELS } from './labels';

/** What the popup needs from the outside world (utils/ports.ts builds the real one). */
export interface PopupPort {
  /** The background's status, for the active tab. */
  status(): Promise<Status>;
  /** Reconnects the live stream and fetches the balance again. */
  refresh(): Promise<void>;
  openOptions(): Promise<void>;
  /** Acknowledge (no minutes) or snooze an alert, on the server and on every device of this member. */
  alertAction(alertId: string, snoozeMinutes?: number): Promise<void>;
}

export const POLL_MS = 5_000;

export type BannerState = 'not-paired' | 'unreachable' | 'revoked' | 'out-of-credits' | 'live' | 'connecting';
export interface BannerView {
  state: BannerState;
  title: string;
  detail?: string;
  /** The banner offers a way to the options page (pair, pair again). */
  toOptions: boolean;
}

/** One state wins: not paired, then revoked > out of credits > unreachable > connecting / live. */
export function deriveBanner(s: Status): BannerView {
  if (!s.pairing) return { state: 'not-paired', title: 'Not paired', toOptions: true };
  const c = s.connection;
  if (c.state === 'revoked') {
    return { state: 'revoked', title: 'Pairing revoked', detail: c.error ?? 'the server no longer accepts this browser: pair again', toOptions: true };
  }
  if (s.outOfCredits) {
    const app = s.outOfCredits.appId;
    const name = app && nameOf(s.team?.names, app);
    const where = app ? `App: ${name}${name !== app ? ` (${app})` : ''}` : undefined;
    const since = `since ${ago(s.now - Date.parse(s.outOfCredits.at))}`;
    return { state: 'out-of-credits', title: 'Out of integration credits — apps calling Base44 integrations are failing', detail: [where, since].filter(Boolean).join(' · '), toOptions: false };
  }
  if (c.state === 'unreachable') {
    const age = s.balance ? `last known values, ${ago(s.now - s.balance.receivedAt)}` : 'no values received yet';
    return { state: 'unreachable', title: 'Server unreachable', detail: c.error ? `${age} · ${c.error}` : age, toOptions: false };
  }
  if (c.state === 'live') {
    return { state: 'live', title: `Live · ${s.pairing.workspace.name}`, detail: `as ${s.pairing.member.name} (${s.pairing.member.role})`, toOptions: false };
  }
  return { state: 'connecting', title: 'Connecting to the server…', detail: s.pairing.server, toOptions: false };
}

export interface PoolView {
  kind: PoolKind;
  label: string;
  /** false: no balance for this pool yet (the numbers are placeholders). */
  known: boolean;
  /** The server's remaining minus credits observed here and not in that balance yet, floored at 0. */
  remaining: number;
  limit: number;
  pending: number;
  remainingText: string;
  limitText: string;
  exact: boolean;
  level: Level;
  colour: string;
  /** 0–100, for the bar. */
  percentLeft: number;
  reset?: string;
  forecast?: { text: string; danger: boolean };
  daily?: string;
  grants?: string;
  /** Whose pool, when it is not the workspace's (seat model). */
  holder?: string;
  /** Base44 itself said the pool is empty (a 402), whatever the estimate says. */
  contradiction?: string;
  /** The pool the current tab spends. */
  highlight: boolean;
}

function forecastOf(remaining: number, p: NonNullable<ReturnType<typeof poolFor>>, now: number): PoolView['forecast'] {
  const rate = p.forecast.perDay > 0 ? ` · ~${creditsText(p.forecast.perDay)}/day` : '';
  if (remaining <= 0) return { text: 'used up — nothing left until the reset', danger: true };
  if (p.forecast.runOutAt) {
    const when = inWords(Date.parse(p.forecast.runOutAt) - now);
    const runs = when === 'now' ? 'runs out now' : `runs out ${when}`;
    return p.forecast.beforeReset
      ? { text: `${runs} — before the reset${rate}`, danger: true }
      : { text: `${runs} — after the reset${rate}`, danger: false };
  }
  return { text: p.forecast.perDay > 0 ? `lasts past the reset${rate}` : 'no use this cycle yet', danger: false };
}

export function derivePools(s: Status): PoolView[] {
  return (['message', 'integration'] as const).map((kind) => {
    const p = s.balance ? poolFor(s.balance.pools, kind, s.pairing?.member.id) : undefined;
    const base = { kind, label: POOL_LABELS[kind], pending: s.pending[kind], highlight: s.tab.kind === kind };
    if (!p) {
      return { ...base, known: false, remaining: 0, limit: 0, remainingText: '—', limitText: '—', exact: false, level: 'unknown', colour: LEVEL_COLOURS.unknown, percentLeft: 0 };
    }
    const estimated = Math.max(0, p.remaining - s.pending[kind]);
    // A 402 is Base44's own word: the pool is empty now, whatever our estimate says.
    const empty = kind === 'integration' && !!s.outOfCredits;
    const remaining = empty ? 0 : estimated;
    const level = levelOf(remaining, p.limit);
    const holderId = p.holder.startsWith('member:') ? p.holder.slice(7) : undefined;
    return {
      ...base,
      known: true,
      remaining,
      limit: p.limit,
      remainingText: creditsDown(remaining),
      limitText: creditsText(p.limit),
      exact: p.exact,
      level,
      colour: LEVEL_COLOURS[level],
      percentLeft: p.limit > 0 ? Math.min(100, Math.max(0, (remaining / p.limit) * 100)) : remaining > 0 ? 100 : 0,
      reset: `resets ${inWords(Date.parse(p.cycle.end) - s.now)}`,
      forecast: forecastOf(remaining, p, s.now),
      daily: p.daily && `today: ${creditsDown(p.daily.remaining)} of ${creditsText(p.daily.limit)} left, renews ${inWords(Date.parse(p.daily.resetAt) - s.now)}`,
      grants: p.grants && p.grants.remaining > 0
        ? `incl. ${creditsDown(p.grants.remaining)} top-up/bonus credits${p.grants.nextExpiry ? `, next expiry ${inWords(Date.parse(p.grants.nextExpiry) - s.now)}` : ''}`
        : undefined,
      holder: holderId && (holderId === s.pairing?.member.id ? 'your own pool' : `${nameOf(s.team?.names, holderId)}'s pool`),
      contradiction: empty && estimated > 0 ? `Base44 answered "out of credits"; the estimate said ${creditsDown(estimated)} left — correct it with a balance reading` : undefined,
    } satisfies PoolView;
  });
}

export interface FlowItem {
  label: string;
  text: string;
  credits: number;
  count: number;
  estimate: boolean;
  duplicate: boolean;
  outcome: 'ok' | 'failed' | 'out_of_credits';
}
export interface FlowView {
  text: string;
  total: number;
  estimate: boolean;
  age: string;
  items: FlowItem[];
}

/** "Last click cost ~4 credits: ~InvokeLLM + SendEmail + UploadFile ×2 duplicate + agent message". */
export function deriveFlow(flow: Flow, now: number): FlowView {
  const items: FlowItem[] = [];
  for (const c of flow.calls) {
    const label = actionLabel(c.action);
    let item = items.find((i) => i.label === label);
    if (!item) items.push((item = { label, text: '', credits: 0, count: 0, estimate: false, duplicate: false, outcome: 'ok' }));
    item.credits += c.credits;
    item.count += 1;
    item.estimate ||= !c.exact;
    item.duplicate ||= c.repeat;
    if (c.outcome === 'out_of_credits' || (c.outcome === 'failed' && item.outcome === 'ok')) item.outcome = c.outcome;
  }
  for (const i of items) {
    const failed = i.outcome === 'out_of_credits' ? ' (out of credits)' : i.outcome === 'failed' ? ' (failed)' : '';
    i.text = `${i.estimate ? '~' : ''}${i.label}${i.count > 1 ? ` ×${i.count}` : ''}${i.duplicate ? ' duplicate' : ''}${failed}`;
  }
  const total = Math.round(flow.calls.reduce((sum, c) => sum + c.credits, 0) * 100) / 100;
  const estimate = items.some((i) => i.estimate);
  const text = `Last click cost ${estimate ? '~' : ''}${creditsText(total)} credit${total === 1 ? '' : 's'}: ${items.map((i) => i.text).join(' + ')}`;
  return { text, total, estimate, age: ago(now - Date.parse(flow.at)), items };
}

export interface ShareRow {
  key: string;
  name: string;
  credits: number;
  creditsText: string;
  calls: number;
  /** 0–1 of the listed total. */
  share: number;
  me: boolean;
}

function shareRows(rows: { key: string; credits: number; calls: number }[], names: Record<string, string> | undefined, top: number, me?: string, label = actionLabel): ShareRow[] {
  const total = rows.reduce((sum, r) => sum + r.credits, 0);
  return [...rows]
    .sort((a, b) => b.credits - a.credits)
    .slice(0, top)
    .map((r) => ({
      key: r.key,
      name: names ? `${nameOf(names, r.key)}${r.key === me ? ' (you)' : ''}` : label(r.key),
      credits: r.credits,
      creditsText: creditsText(r.credits),
      calls: r.calls,
      share: total > 0 ? r.credits / total : 0,
      me: r.key === me,
    }));
}

export interface AppView {
  appId?: string;
  name: string;
  /** The app comes from the tab's URL (editor, preview); otherwise it is the app of the newest flow. */
  fromTab: boolean;
  context?: Context;
  actions: ShareRow[];
  lastFlow?: FlowView;
  /** "Last prompts: 1.5 · 0.5 · ~2 message credits": what building this app cost, newest first. */
  prompts?: string;
}

/** The cost of the app's last few prompts (builder.prompt / builder.discuss events), newest first. */
export function derivePrompts(s: Status, appId: string | undefined, max = 5): string | undefined {
  if (!appId) return undefined;
  const prompts = s.recent.filter((e) => e.appId === appId && e.action.startsWith('builder.')).slice(0, max);
  if (!prompts.length) return undefined;
  return `Last prompts: ${prompts.map((e) => `${e.exact ? '' : '~'}${creditsText(e.credits)}`).join(' · ')} message credits`;
}

/** The current tab's app: its credits this cycle by action, and what its last click cost. */
export function deriveAppView(s: Status): AppView | null {
  const appId = s.tab.appId;
  // A published app's URL does not name the app; the newest flow (from the app's own API calls) does.
  const flow = appId ? s.flows.find((f) => f.appId === appId) : s.flows[0];
  const id = appId ?? flow?.appId;
  if (!appId && !flow) return null;
  const rows = id ? s.team?.appActions[id] ?? [] : [];
  return {
    appId: id,
    name: id ? nameOf(s.team?.names, id) : 'this page',
    fromTab: !!appId,
    context: s.tab.context,
    actions: shareRows(rows, undefined, 8),
    lastFlow: flow && deriveFlow(flow, s.now),
    prompts: derivePrompts(s, id),
  };
}

export interface WhoView {
  members: ShareRow[];
  apps: ShareRow[];
  /** "Seen by the extension: published 40 · preview 12 — not seen: 55 (live users, backends)". */
  observed?: string;
  /** "(cached, 5 min ago)" when the server could not be asked; "no team data yet" without any copy. */
  note?: string;
}

/** Integration credits seen by extensions (by context) against what only balance readings revealed. */
export function observedSplit(rows: { key: string; credits: number }[] | undefined): string | undefined {
  if (!rows?.length) return undefined;
  const seen = rows.filter((r) => r.key !== 'unknown' && r.credits > 0);
  const unseen = rows.find((r) => r.key === 'unknown')?.credits ?? 0;
  const parts = seen.map((r) => `${r.key} ${creditsText(r.credits)}`).join(' · ') || 'nothing';
  return `Integration credits seen here: ${parts}${unseen > 0 ? ` — not seen: ${creditsText(unseen)} (live users, backends)` : ''}`;
}

export function deriveWho(s: Status, top = 5): WhoView {
  const t = s.team;
  if (!t) return { members: [], apps: [], note: 'no team data yet' };
  return {
    members: shareRows(t.byMember, t.names, top, s.pairing?.member.id),
    apps: shareRows(t.byApp, t.names, top),
    observed: observedSplit(t.byContext),
    note: s.teamLive ? undefined : `(cached, ${ago(s.now - t.at)})`,
  };
}

export interface RecentRow {
  id: string;
  age: string;
  action: string;
  app: string;
  credits: string;
  outcome: 'ok' | 'failed' | 'out_of_credits';
}

export function deriveRecent(s: Status, max = 8): RecentRow[] {
  return s.recent.slice(0, max).map((e) => ({
    id: e.id,
    age: ago(s.now - Date.parse(e.at)),
    action: actionLabel(e.action),
    app: e.appId ? nameOf(s.team?.names, e.appId) : '—',
    credits: `${e.exact ? '' : '~'}${creditsText(e.credits)}`,
    outcome: e.outcome,
  }));
}

/** "3 calls waiting to be sent (retrying in 2 min)", or undefined when the outbox is empty. */
export function deriveOutbox(s: Status): string | undefined {
  const { count, delivery } = s.outbox;
  const held = s.held?.count
    ? `${s.held.count} call${s.held.count === 1 ? '' : 's'} in ${s.held.apps.length === 1 ? 'an app' : `${s.held.apps.length} apps`} outside this workspace not counted (they count once the app is added or opened in the editor)`
    : undefined;
  if (count <= 0) return held;
  const calls = `${count} call${count === 1 ? '' : 's'} waiting to be sent`;
  if (delivery.nextAttemptAt !== undefined && delivery.nextAttemptAt > s.now) return `${calls} (retrying ${inWords(delivery.nextAttemptAt - s.now)})${held ? `; ${held}` : ''}`;
  return `${calls} (${delivery.attempts > 0 ? 'retrying' : 'sending'})${held ? `; ${held}` : ''}`;
}

export interface AlertRow {
  id: string;
  title: string;
  severity: 'info' | 'warning' | 'critical';
  age: string;
}

/** Alerts still firing that this member has not acknowledged or snoozed here, newest first. */
export function deriveAlerts(s: Status): AlertRow[] {
  return s.alerts
    .filter((a) => !a.resolved && !a.handled)
    .map((a) => ({ id: a.id, title: a.title, severity: (['info', 'warning', 'critical'].includes(a.severity) ? a.severity : 'warning') as AlertRow['severity'], age: ago(s.now - Date.parse(a.firedAt)) }));
}

export interface PopupView {
  alerts: AlertRow[];
  banner: BannerView;
  pools: PoolView[];
  app: AppView | null;
  who: WhoView;
  recent: RecentRow[];
  outbox?: string;
}

export function derivePopup(s: Status): PopupView {
  return { alerts: deriveAlerts(s), banner: deriveBanner(s), pools: derivePools(s), app: deriveAppView(s), who: deriveWho(s), recent: deriveRecent(s), outbox: deriveOutbox(s) };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const PopupModel = createModel((port: PopupPort) => {
  const status = signal<Status | null>(null);
  const error = signal<string | null>(null);
  const refreshing = signal(false);
  const view = computed(() => (status.value ? derivePopup(status.value) : null));

  let inFlight: Promise<void> | null = null;
  function load(): Promise<void> {
    inFlight ??= port.status().then(
      (s) => void ((status.value = s), (error.value = null)),
      (e) => void (error.value = messageOf(e)),
    ).finally(() => (inFlight = null));
    return inFlight;
  }

  // Owned by the model: disposed (timer cleared) when the popup unmounts.
  effect(() => {
    untracked(() => void load());
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  });

  return {
    status,
    error,
    refreshing,
    view,
    async refresh() {
      refreshing.value = true;
      try {
        await port.refresh();
      } catch (e) {
        error.value = messageOf(e);
      }
      await inFlight;
      await load();
      refreshing.value = false;
    },
    openOptions() {
      port.openOptions().catch((e) => (error.value = messageOf(e)));
    },
    async alertAction(alertId: string, snoozeMinutes?: number) {
      try {
        await port.alertAction(alertId, snoozeMinutes);
      } catch (e) {
        error.value = messageOf(e);
      }
      await inFlight; // a poll already under way read the state from before the action
      await load();
    },
  };
});
export type PopupModel = InstanceType<typeof PopupModel>;
