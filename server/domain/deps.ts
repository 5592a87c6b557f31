// What domain functions are given: the store, the clock, id sources, the live hub. Nothing here reads env or
// starts anything; tests pass a fake clock.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store';
import type { Logger } from '../log';
import type { Hub } from '../stream/hub';
import type { WorkspaceRecord } from '../store/records';
import { notFound } from './errors';

export interface Ids {
  /** An id for records the server makes: prefix + 16 random base32 characters. */
  id(prefix: string): string;
  /** A bearer token: 256 random bits. */
  token(): string;
  /** A pairing code people can type: 8 characters, no look-alikes (about 40 bits), shown as XXXX-XXXX. */
  code(): string;
}

export interface DomainDeps {
  store: Store;
  now: () => number;
  ids: Ids;
  hub: Hub;
  /** Told whenever a workspace's numbers or rules change: live balances and alert evaluation follow. */
  feed: { changed(wsId: string): void };
  retentionDays: number;
}

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function pick(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += alphabet[b & 31];
  return s;
}

export const randomIds: Ids = {
  id: (prefix) => `${prefix}_${pick(16).toLowerCase()}`,
  token: () => `cw_${randomBytes(32).toString('base64url')}`,
  code: () => {
    const c = pick(8);
    return `${c.slice(0, 4)}-${c.slice(4)}`;
  },
};

/** Codes are compared without the dash, case-insensitively, so "abcd efgh" works as typed. */
export const normalizeCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export const iso = (ms: number): string => new Date(ms).toISOString();

export function workspaceOf(deps: DomainDeps, wsId: string): WorkspaceRecord {
  const ws = deps.store.state.workspaces[wsId];
  if (!ws) throw notFound('workspace');
  return ws;
}
