// The store's state and the records that change it. Every change is a record: appended to the journal
// (durable), applied to memory, and folded into the snapshot. `applyRecord` is the only code that mutates state.
import type { PatternPack } from '../../shared/readers/pack';
import { IdIndex } from './id-index';
import { contexts, type StoredUsageEvent, type UsageEvent } from '../../shared/schemas/events';
import type { Grant } from '../../shared/schemas/grants';
import type { Reading } from '../../shared/schemas/readings';
import type { Role } from '../../shared/schemas/common';
import type { WorkspaceSettings } from '../../shared/schemas/workspace';
import type { Alert, AlertRule, Channel } from '../../shared/schemas/alerts';
import type { AlertState } from '../../shared/alerts';
import type { PriceDismissal, PriceInterval } from '../../shared/ledger/price-learning';

export interface Member {
  id: string;
  name: string;
  email?: string;
  role: Role;
  createdAt: string;
}

export interface AppRecord {
  id: string;
  name?: string;
  ownerId?: string | null;
  budget?: { message?: number; integration?: number } | null;
  customEmailDomain?: boolean;
  firstSeenAt: string;
}

export interface PriceOverride {
  credits: number;
  note?: string;
}

/** One alert's delivery to one channel, with every attempt (the delivery log). */
export interface Delivery {
  id: string;
  channelId: string;
  /** Absent for "send test". */
  alertId?: string;
  message: 'alert' | 'alert.resolved' | 'test';
  state: 'pending' | 'delivered' | 'failed';
  attempts: { at: string; ok: boolean; status?: number; error?: string }[];
  nextAt?: string;
  createdAt: string;
}

export interface WorkspaceRecord {
  settings: WorkspaceSettings;
  members: Record<string, Member>;
  apps: Record<string, AppRecord>;
  grants: Grant[];
  readings: Reading[];
  prices: Record<string, PriceOverride>;
  rules: AlertRule[];
  channels: Channel[];
  /** Newest last; active ones always kept, resolved ones trimmed to the latest few hundred. */
  alerts: Alert[];
  alertState: AlertState;
  deliveries: Record<string, Delivery>;
  /** A pattern pack a lead installed (shared/readers); the default pack when absent. */
  patternPack?: PatternPack;
  /** Reconciled intervals of the integration pool, newest last (price learning, shared/ledger/price-learning.ts). */
  priceIntervals: PriceInterval[];
  /** Price proposals a lead dismissed, by action. */
  priceDismissals: Record<string, PriceDismissal>;
  /** Base44's Monitoring API, when an owner gave a key (server/monitoring). */
  monitoring?: MonitoringRecord;
}

/** How to poll Base44's Monitoring API for one workspace, and how the last poll went. */
export interface MonitoringConfig {
  /** Changes with every PUT: a poll started under an older config cannot write its outcome over a newer one. */
  id: string;
  /** The API key, sealed (store/secrets.ts): no record or snapshot holds it in the clear. */
  sealedKey: string;
  /** The key's last four characters, for the masked `••••abcd`. */
  keyHint: string;
  workspaceId: string;
  baseUrl: string;
  intervalMinutes: number;
  setAt: string;
  setBy: string;
}

export interface MonitoringPollStatus {
  lastPollAt?: string;
  lastResult?: 'ok' | 'error';
  /** A short token (`rate_limited`, `http_500`, `malformed_json`, …), never reply text. */
  reason?: string;
  skipped?: { pool: string; reason: string }[];
  lastOkAt?: string;
  nextPollAt: string;
  /** Failed polls in a row (drives the backoff). */
  failures: number;
  /** Base44 answered 429: no request before this time, not even "poll now". */
  holdUntil?: string;
  /** Readings stored from polls since this config was set. */
  readingsStored: number;
}

export interface MonitoringRecord extends MonitoringConfig {
  status: MonitoringPollStatus;
}

/** Fills what older snapshots lack, so stored data read back always has the current shape. */
export function upgradeWorkspace(ws: Partial<WorkspaceRecord> & Pick<WorkspaceRecord, 'settings'>): WorkspaceRecord {
  ws.members ??= {};
  ws.apps ??= {};
  ws.grants ??= [];
  ws.readings ??= [];
  ws.prices ??= {};
  ws.rules ??= [];
  ws.channels ??= [];
  ws.alerts ??= [];
  ws.alertState ??= { entries: {} };
  ws.deliveries ??= {};
  ws.priceIntervals ??= [];
  ws.priceDismissals ??= {};
  return ws as WorkspaceRecord;
}

const KEEP_RESOLVED_ALERTS = 300;
const KEEP_FINISHED_DELIVERIES = 1000;
const KEEP_PRICE_INTERVALS = 200;

export interface TokenRecord {
  wsId: string;
  memberId: string;
  deviceName?: string;
  createdAt: string;
}

export interface InviteRecord {
  wsId: string;
  role: Role;
  name?: string;
  email?: string;
  memberId?: string;
  /** Who made the code (absent for the owner code made at start-up). */
  createdBy?: string;
  expiresAt: string;
  createdAt: string;
}

/** Everything but usage events: small, so the lowdb snapshot stays cheap to rewrite. */
export interface State {
  workspaces: Record<string, WorkspaceRecord>;
  /** Keyed by the SHA-256 of the bearer token: a stolen snapshot holds no usable token. */
  tokens: Record<string, TokenRecord>;
  /** Keyed by the SHA-256 of the pairing code. */
  invites: Record<string, InviteRecord>;
}

export type StoreRecord =
  | { op: 'ws.create'; ws: WorkspaceSettings }
  | { op: 'ws.patch'; wsId: string; patch: { [K in keyof WorkspaceSettings]?: WorkspaceSettings[K] | null } }
  | { op: 'invite.create'; codeHash: string; invite: InviteRecord }
  | { op: 'invite.consume'; codeHash: string }
  | { op: 'member.add'; wsId: string; member: Member }
  | { op: 'member.patch'; wsId: string; memberId: string; patch: Partial<Pick<Member, 'role' | 'name'>> }
  | { op: 'member.remove'; wsId: string; memberId: string }
  | { op: 'token.add'; tokenHash: string; token: TokenRecord }
  | { op: 'token.revoke'; tokenHashes: string[] }
  | { op: 'events'; wsId: string; events: StoredUsageEvent[] }
  /** As ingest journals it: the validated request body as received, completed on replay by completeEvent. */
  | { op: 'events.sent'; v: 1; wsId: string; memberId: string; receivedAt: string; body: { events: UsageEvent[] } }
  /** `interval`: what the reading closed, for price learning (integration pool, exact readings only). */
  | { op: 'reading.add'; wsId: string; reading: Reading; interval?: PriceInterval }
  | { op: 'grant.add'; wsId: string; grant: Grant }
  | { op: 'grant.remove'; wsId: string; grantId: string }
  | { op: 'app.put'; wsId: string; app: AppRecord }
  | { op: 'prices.patch'; wsId: string; prices: Record<string, PriceOverride | null> }
  | { op: 'price.dismissal'; wsId: string; action: string; dismissal: PriceDismissal | null }
  | { op: 'pack.put'; wsId: string; pack: PatternPack | null }
  | { op: 'rule.put'; wsId: string; rule: AlertRule }
  | { op: 'rule.remove'; wsId: string; ruleId: string }
  | { op: 'channel.put'; wsId: string; channel: Channel }
  | { op: 'channel.remove'; wsId: string; channelId: string }
  /** One evaluation's outcome, atomically: alerts fired, alerts resolved, the rule state after it. */
  | { op: 'alerts.eval'; wsId: string; fired: Alert[]; resolved: { alertId: string; at: string; because: string }[]; state: AlertState; deliveries?: Delivery[] }
  | { op: 'alert.ack'; wsId: string; alertId: string; memberId: string; at: string }
  | { op: 'alert.snooze'; wsId: string; alertId: string; memberId: string; until: string }
  | { op: 'delivery.put'; wsId: string; delivery: Delivery }
  | { op: 'monitoring.put'; wsId: string; config: MonitoringConfig; status: MonitoringPollStatus }
  | { op: 'monitoring.remove'; wsId: string }
  /** Applied only while `configId` is still the workspace's config. */
  | { op: 'monitoring.status'; wsId: string; configId: string; status: MonitoringPollStatus };

export function emptyState(): State {
  return { workspaces: {}, tokens: {}, invites: {} };
}

/** Usage events per workspace, in arrival order, with the id index that makes ingest idempotent. */
export interface EventLog {
  list: StoredUsageEvent[];
  /** Every id in `list` (see id-index.ts). */
  ids: IdIndex;
}

export type EventIndex = Map<string, EventLog>;

export function eventLog(index: EventIndex, wsId: string): EventLog {
  let log = index.get(wsId);
  if (!log) {
    const created: EventLog = { list: [], ids: new IdIndex((pos) => created.list[pos].id) };
    log = created;
    index.set(wsId, log);
  }
  return log;
}

/**
 * Applies one record. Idempotent for events (a replayed event already present is skipped), so a record that
 * reached both the snapshot and the journal, or the journal twice, never double-counts.
 * Returns the events actually added (for 'events'), else undefined.
 */
export function applyRecord(state: State, events: EventIndex, r: StoreRecord): StoredUsageEvent[] | undefined {
  switch (r.op) {
    case 'events.sent':
      // v1 is completeEvent as it stands. Changing what completion does needs a v2 here, so that journals
      // written before replay exactly as they were acknowledged.
      for (const e of r.body.events) completeEvent(e, r.memberId, r.receivedAt);
      return applyRecord(state, events, { op: 'events', wsId: r.wsId, events: r.body.events as StoredUsageEvent[] });
    case 'events': {
      const log = eventLog(events, r.wsId);
      // Usually every event is new: then the input array is the answer, and only a duplicate makes a copy.
      let added: StoredUsageEvent[] | null = null;
      for (let i = 0; i < r.events.length; i++) {
        const e = r.events[i];
        // One probe instead of has() then add(): the index holds every id in retention.
        if (!log.ids.add(e.id, log.list.length)) {
          added ??= r.events.slice(0, i);
          continue;
        }
        internEvent(e);
        log.list.push(e);
        added?.push(e);
      }
      return added ?? r.events;
    }
    case 'ws.create':
      state.workspaces[r.ws.id] = upgradeWorkspace({ settings: r.ws });
      return;
    case 'rule.put':
    case 'rule.remove': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.rules = r.op === 'rule.put' ? putById(ws.rules, r.rule) : ws.rules.filter((x) => x.id !== r.ruleId);
      return;
    }
    case 'channel.put':
    case 'channel.remove': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.channels = r.op === 'channel.put' ? putById(ws.channels, r.channel) : ws.channels.filter((x) => x.id !== r.channelId);
      return;
    }
    case 'alerts.eval': {
      const ws = state.workspaces[r.wsId];
      if (!ws) return;
      const known = new Set(ws.alerts.map((a) => a.id));
      for (const a of r.fired) if (!known.has(a.id)) ws.alerts.push(a);
      for (const res of r.resolved) {
        const a = ws.alerts.find((x) => x.id === res.alertId);
        if (a && !a.resolvedAt) Object.assign(a, { resolvedAt: res.at, resolvedBecause: res.because });
      }
      ws.alertState = r.state;
      for (const d of r.deliveries ?? []) ws.deliveries[d.id] = d;
      const resolved = ws.alerts.filter((a) => a.resolvedAt);
      if (resolved.length > KEEP_RESOLVED_ALERTS) {
        // The longest-resolved go first (not the first fired: an old alert resolved just now must stay).
        resolved.sort((a, b) => a.resolvedAt!.localeCompare(b.resolvedAt!));
        const drop = new Set(resolved.slice(0, resolved.length - KEEP_RESOLVED_ALERTS).map((a) => a.id));
        ws.alerts = ws.alerts.filter((a) => !drop.has(a.id));
      }
      return;
    }
    case 'alert.ack': {
      const a = state.workspaces[r.wsId]?.alerts.find((x) => x.id === r.alertId);
      if (a && !a.acks.some((k) => k.memberId === r.memberId)) a.acks.push({ memberId: r.memberId, at: r.at });
      return;
    }
    case 'alert.snooze': {
      const a = state.workspaces[r.wsId]?.alerts.find((x) => x.id === r.alertId);
      if (a) a.snoozes = [...a.snoozes.filter((z) => z.memberId !== r.memberId), { memberId: r.memberId, until: r.until }];
      return;
    }
    case 'delivery.put': {
      const ws = state.workspaces[r.wsId];
      if (!ws) return;
      ws.deliveries[r.delivery.id] = r.delivery;
      const finished = Object.values(ws.deliveries).filter((d) => d.state !== 'pending');
      if (finished.length > KEEP_FINISHED_DELIVERIES * 1.2) {
        finished.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        for (const d of finished.slice(0, finished.length - KEEP_FINISHED_DELIVERIES)) delete ws.deliveries[d.id];
      }
      return;
    }
    case 'ws.patch': {
      const ws = state.workspaces[r.wsId];
      // null clears a setting (e.g. limits back to the plan's); JSON has no undefined, so the journal keeps null.
      if (ws) ws.settings = dropEmpty({ ...ws.settings, ...r.patch });
      return;
    }
    case 'invite.create':
      state.invites[r.codeHash] = r.invite;
      return;
    case 'invite.consume':
      delete state.invites[r.codeHash];
      return;
    case 'member.add': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.members[r.member.id] = r.member;
      return;
    }
    case 'member.patch': {
      const m = state.workspaces[r.wsId]?.members[r.memberId];
      if (m) Object.assign(m, dropEmpty({ ...r.patch }));
      return;
    }
    case 'member.remove': {
      const ws = state.workspaces[r.wsId];
      if (ws) delete ws.members[r.memberId];
      // Their open codes die with them: a code for "another device of mine" must not bring them back.
      for (const [hash, inv] of Object.entries(state.invites)) {
        if (inv.wsId === r.wsId && (inv.memberId === r.memberId || inv.createdBy === r.memberId)) delete state.invites[hash];
      }
      for (const [hash, t] of Object.entries(state.tokens)) {
        if (t.wsId === r.wsId && t.memberId === r.memberId) delete state.tokens[hash];
      }
      return;
    }
    case 'token.add':
      state.tokens[r.tokenHash] = r.token;
      return;
    case 'token.revoke':
      for (const h of r.tokenHashes) delete state.tokens[h];
      return;
    case 'reading.add': {
      const ws = state.workspaces[r.wsId];
      if (!ws) return;
      ws.readings.push(r.reading);
      if (r.interval) {
        ws.priceIntervals.push(r.interval);
        if (ws.priceIntervals.length > KEEP_PRICE_INTERVALS) ws.priceIntervals.splice(0, ws.priceIntervals.length - KEEP_PRICE_INTERVALS);
      }
      return;
    }
    case 'price.dismissal': {
      const ws = state.workspaces[r.wsId];
      if (!ws) return;
      if (r.dismissal) ws.priceDismissals[r.action] = r.dismissal;
      else delete ws.priceDismissals[r.action];
      return;
    }
    case 'grant.add':
      state.workspaces[r.wsId]?.grants.push(r.grant);
      return;
    case 'grant.remove': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.grants = ws.grants.filter((g) => g.id !== r.grantId);
      return;
    }
    case 'app.put': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.apps[r.app.id] = r.app;
      return;
    }
    case 'pack.put': {
      const ws = state.workspaces[r.wsId];
      if (ws) {
        if (r.pack) ws.patternPack = r.pack;
        else delete ws.patternPack;
      }
      return;
    }
    case 'monitoring.put': {
      const ws = state.workspaces[r.wsId];
      if (ws) ws.monitoring = { ...r.config, status: r.status };
      return;
    }
    case 'monitoring.remove':
      if (state.workspaces[r.wsId]) delete state.workspaces[r.wsId].monitoring;
      return;
    case 'monitoring.status': {
      const m = state.workspaces[r.wsId]?.monitoring;
      if (m && m.id === r.configId) m.status = r.status;
      return;
    }
    case 'prices.patch': {
      const ws = state.workspaces[r.wsId];
      if (!ws) return;
      for (const [k, v] of Object.entries(r.prices)) {
        if (v === null) delete ws.prices[k];
        else ws.prices[k] = v;
      }
      return;
    }
  }
}


const CANONICAL_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Turns a validated event as sent into the stored event, in place: the sender's member unless a lead named
 * one, the arrival time, and `at` in canonical UTC form (so sorting and CSV agree whatever offset was sent).
 * Ingest and replay both use it, so a journalled request body replays into exactly what was acknowledged.
 */
export function completeEvent(e: UsageEvent, memberId: string, receivedAt: string): StoredUsageEvent {
  const s = e as StoredUsageEvent;
  if (s.memberId === undefined) s.memberId = memberId;
  if (!CANONICAL_AT.test(s.at)) s.at = new Date(Date.parse(s.at)).toISOString();
  s.receivedAt = receivedAt;
  return s;
}

/**
 * The journal line for an ingest, built from the request bytes rather than re-serialising the events (that
 * JSON.stringify was a tenth of ingest's CPU). Only for bodies on one line: the journal is line-delimited.
 */
export function sentEventsLine(seq: number, wsId: string, memberId: string, receivedAt: string, raw: Buffer): Buffer[] | undefined {
  if (raw.includes(0x0a) || raw.includes(0x0d)) return undefined;
  const head = `{"seq":${seq},"r":{"op":"events.sent","v":1,"wsId":${JSON.stringify(wsId)},"memberId":${JSON.stringify(memberId)},"receivedAt":"${receivedAt}","body":`;
  return [Buffer.from(head), raw, Buffer.from('}}\n')];
}

// Events repeat a handful of values (kinds, actions, app ids, contexts, outcomes). Sharing one string per value
// cut the heap per stored event by about a quarter, and with it the garbage collector's work as stores grow.
const interned = new Map<string, string>();
const CONTEXTS = new Map<string, string>(contexts.map((c) => [c, c]));
const intern = (v: string | undefined): string | undefined => {
  if (v === undefined) return v;
  const hit = interned.get(v);
  if (hit !== undefined) return hit;
  if (interned.size < 50_000) interned.set(v, v);
  return v;
};
function internEvent(e: StoredUsageEvent): void {
  // Enum fields map onto the literals themselves (no table lookup); open-ended ones go through the table.
  e.kind = e.kind === 'integration' ? 'integration' : 'message';
  e.outcome = e.outcome === 'ok' ? 'ok' : e.outcome === 'failed' ? 'failed' : 'out_of_credits';
  e.context = (CONTEXTS.get(e.context) ?? e.context) as StoredUsageEvent['context'];
  e.action = intern(e.action)!;
  if (e.appId !== undefined) e.appId = intern(e.appId);
  if (e.memberId !== undefined) e.memberId = intern(e.memberId);
}

/** Replaces the item with the same id (keeping the others' order), or appends it. */
function putById<T extends { id: string }>(list: T[], item: T): T[] {
  return [...list.filter((x) => x.id !== item.id), item];
}

function dropEmpty<T extends object>(o: Record<string, unknown>): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o as T;
}
