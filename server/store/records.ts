// The store's state and the records that change it. Every change is a record: appended to the journal
// (durable), applied to memory, and folded into the snapshot. `applyRecord` is the only code that mutates state.
import type { StoredUsageEvent } from '../../shared/schemas/events';
import type { Grant } from '../../shared/schemas/grants';
import type { Reading } from '../../shared/schemas/readings';
import type { Role } from '../../shared/schemas/common';
import type { WorkspaceSettings } from '../../shared/schemas/workspace';

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

export interface WorkspaceRecord {
  settings: WorkspaceSettings;
  members: Record<string, Member>;
  apps: Record<string, AppRecord>;
  grants: Grant[];
  readings: Reading[];
  prices: Record<string, PriceOverride>;
}

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
  | { op: 'reading.add'; wsId: string; reading: Reading }
  | { op: 'grant.add'; wsId: string; grant: Grant }
  | { op: 'grant.remove'; wsId: string; grantId: string }
  | { op: 'app.put'; wsId: string; app: AppRecord }
  | { op: 'prices.patch'; wsId: string; prices: Record<string, PriceOverride | null> };

export function emptyState(): State {
  return { workspaces: {}, tokens: {}, invites: {} };
}

/** Usage events per workspace, in arrival order, with the id index that makes ingest idempotent. */
export interface EventLog {
  list: StoredUsageEvent[];
  ids: Set<string>;
}

export type EventIndex = Map<string, EventLog>;

export function eventLog(index: EventIndex, wsId: string): EventLog {
  let log = index.get(wsId);
  if (!log) {
    log = { list: [], ids: new Set() };
    index.set(wsId, log);
  }
  return log;
}

/**
 * Applies one record. Idempotent for events (a replayed event already present is skipped), so a record that
 * reached both the snapshot and the journal, or the journal twice, never double-counts.
 * Returns the events actually added (for 'events'), else undefined.
 */
export function applyRecord(state: State, events: EventIndex, r: StoredRecordLike): StoredUsageEvent[] | undefined {
  switch (r.op) {
    case 'events': {
      const log = eventLog(events, r.wsId);
      const added: StoredUsageEvent[] = [];
      for (const e of r.events) {
        if (log.ids.has(e.id)) continue;
        log.ids.add(e.id);
        log.list.push(e);
        added.push(e);
      }
      return added;
    }
    case 'ws.create':
      state.workspaces[r.ws.id] = { settings: r.ws, members: {}, apps: {}, grants: [], readings: [], prices: {} };
      return;
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
    case 'reading.add':
      state.workspaces[r.wsId]?.readings.push(r.reading);
      return;
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

type StoredRecordLike = StoreRecord;

function dropEmpty<T extends object>(o: Record<string, unknown>): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o as T;
}
