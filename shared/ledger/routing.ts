// Which pool an event or a grant belongs to, and which pools a workspace has (PRODUCT.md "credit model").
//   pool model: one "workspace" pool per kind; a member's message cap is a sub-limit on top (member:<id>,
//               it counts that member's message credits and holds no grants).
//   seat model: message credits per member (member:<memberId>, or member:unknown when the event names nobody);
//               integration credits belong to the app's owner, falling back to the workspace owner.
//               A reconciliation remainder (action "unobserved") was measured on one pool and names its member,
//               so it goes back to that member's pool whatever the kind.
import type { PoolKind } from '../schemas/common';
import type { UsageEvent } from '../schemas/events';
import type { Grant } from '../schemas/grants';
import { allowanceFor } from './plans';
import type { LedgerApp, LedgerInput, LedgerWorkspace } from './types';

export const WORKSPACE = 'workspace';
/** Holder for spending nobody can be attributed to (seat model). */
export const UNKNOWN_HOLDER = 'member:unknown';

const member = (id: string | null | undefined): string => (id ? `member:${id}` : UNKNOWN_HOLDER);

type RoutedEvent = Pick<UsageEvent, 'kind' | 'appId' | 'memberId'> & { action?: string };

export interface PoolRouter {
  /** The allowance-bearing pool an event draws from. */
  holderForEvent(event: RoutedEvent): string;
  /** The pool a grant adds to. */
  holderForGrant(grant: Pick<Grant, 'holder'>): string;
  /** Pool model: the member's message cap, if any. */
  capFor(memberId: string | undefined): number | undefined;
  /** Whether an event counts in pool (kind, holder): its own pool, or a member cap it falls under. */
  inPool(event: RoutedEvent, kind: PoolKind, holder: string): boolean;
}

export function poolRouter(ws: LedgerWorkspace, apps: LedgerApp[]): PoolRouter {
  const owners = new Map(apps.map((a) => [a.id, a.ownerId ?? undefined]));
  const seat = ws.billingModel === 'seat';
  const caps = ws.memberCaps;
  const capFor = (memberId: string | undefined): number | undefined => {
    if (seat || !memberId || !caps) return undefined;
    const own = caps.byMember?.[memberId];
    if (own !== undefined) return own;
    return caps.default ?? undefined;
  };
  const holderForEvent = (e: RoutedEvent): string => {
    if (!seat) return WORKSPACE;
    if (e.kind === 'message' || (e.action === 'unobserved' && e.memberId)) return member(e.memberId);
    // Unknown apps and events without an app spend the workspace owner's credits, like apps without an owner.
    return member((e.appId !== undefined ? owners.get(e.appId) : undefined) ?? ws.ownerId);
  };
  return {
    holderForEvent,
    // Pool model: there is one pool, so a grant held by a member still adds to it. Seat model: a grant bought
    // for "workspace" is the owner's (only the owner buys top-ups).
    holderForGrant: (g) => (!seat ? WORKSPACE : g.holder?.startsWith('member:') ? g.holder : member(ws.ownerId)),
    capFor,
    inPool(e, kind, holder) {
      if (e.kind !== kind) return false;
      if (holderForEvent(e) === holder) return true;
      return kind === 'message' && holder === member(e.memberId) && capFor(e.memberId) !== undefined;
    },
  };
}

/** The pool an event draws from (see the header for the rules). */
export function poolHolderForEvent(ws: LedgerWorkspace, apps: LedgerApp[], event: RoutedEvent): string {
  return poolRouter(ws, apps).holderForEvent(event);
}

export interface PoolDef {
  kind: PoolKind;
  holder: string;
  /** Credits per cycle: the plan's allowance, or the member's cap. */
  allowance: number;
  /** Free plan message pools: the daily allowance. */
  daily?: number;
  /** A member cap (pool model): a sub-limit that holds no grants. */
  cap: boolean;
}

const byHolder = (a: string, b: string): number =>
  a === b ? 0 : a === WORKSPACE ? -1 : b === WORKSPACE ? 1 : a < b ? -1 : 1;

/**
 * Every pool the balance shows: message pools first; "workspace" first, then holders in id order.
 * Seat model: members, app owners and the workspace owner have pools; `events` and `grants` (the caller passes
 * the current cycle's) add pools for holders nobody configured (member:unknown, a removed member), so an
 * unattributed event from last year does not keep a "member:unknown" pool alive.
 */
export function listPools(
  input: Pick<LedgerInput, 'workspace' | 'members' | 'apps'>,
  router: PoolRouter,
  events: RoutedEvent[],
  grants: Pick<Grant, 'kind' | 'holder'>[],
): PoolDef[] {
  const ws = input.workspace;
  const allowance = allowanceFor(ws);
  const holders: Record<PoolKind, Set<string>> = { message: new Set(), integration: new Set() };
  const capHolders = new Map<string, number>();

  if (ws.billingModel === 'pool') {
    holders.message.add(WORKSPACE);
    holders.integration.add(WORKSPACE);
    const ids = new Set([...input.members.map((m) => m.id), ...Object.keys(ws.memberCaps?.byMember ?? {})]);
    for (const id of ids) {
      const cap = router.capFor(id);
      if (cap !== undefined) capHolders.set(member(id), cap);
    }
  } else {
    for (const m of input.members) holders.message.add(member(m.id));
    // The workspace owner always owns apps in the seat model (every app without an owner is theirs).
    if (ws.ownerId) holders.integration.add(member(ws.ownerId));
    for (const a of input.apps) {
      const owner = a.ownerId ?? ws.ownerId;
      if (owner) holders.integration.add(member(owner));
    }
    for (const e of events) holders[e.kind].add(router.holderForEvent(e));
    for (const g of grants) holders[g.kind].add(router.holderForGrant(g));
  }

  const out: PoolDef[] = [];
  for (const kind of ['message', 'integration'] as const) {
    const caps = kind === 'message' ? [...capHolders.keys()] : [];
    for (const holder of [...holders[kind], ...caps].sort(byHolder)) {
      const cap = kind === 'message' ? capHolders.get(holder) : undefined;
      if (cap !== undefined && !holders[kind].has(holder)) {
        out.push({ kind, holder, allowance: cap, cap: true });
        continue;
      }
      const def: PoolDef = { kind, holder, allowance: allowance[kind], cap: false };
      if (kind === 'message' && allowance.dailyMessage !== undefined) def.daily = allowance.dailyMessage;
      out.push(def);
    }
  }
  return out;
}
