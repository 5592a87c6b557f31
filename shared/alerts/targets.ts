// Scopes → targets: what one rule watches, with the figures its threshold and forecast conditions compare and
// the predicate that says which events are "its" events (for burst, daily anomaly and the top lists).
//   pools  → every pool of the balance reply (optionally of one kind); pool → that one pool, if it exists.
//   app    → the app's events of the kind this cycle against apps[].budget[kind].
//   member → the member's events of the kind this cycle against scope.budget; without one, the member:<id> pool.
// A scope without figures (an app with no budget, a member with neither budget nor pool) still has a target:
// burst and daily_anomaly need only its events; threshold and forecast conditions skip it.
import type { Window } from '../ledger/cycles';
import { roundCredits } from '../ledger/credits';
import { forecast } from '../ledger/forecast';
import { UNKNOWN_HOLDER, WORKSPACE, type PoolRouter } from '../ledger/routing';
import { DAY_MS, iso } from '../ledger/time';
import type { AlertScope } from '../schemas/alerts';
import type { Forecast, PoolBalance } from '../schemas/balance';
import type { PoolKind } from '../schemas/common';
import type { StoredUsageEvent } from '../schemas/events';
import { appTotal, memberTotal, type EventIndex, type Totals } from './events';
import type { EvaluateInput } from './types';

export interface Figures {
  limit: number;
  used: number;
  remaining: number;
  exact: boolean;
  cycleStart: string;
  cycleEnd: string;
  forecast: Forecast;
}

export interface Target {
  /** The scope part of alert keys: pool:<kind>:<holder>, app:<kind>:<appId> or member:<kind>:<memberId>. */
  scopeKey: string;
  kind: PoolKind;
  holder?: string;
  appId?: string;
  memberId?: string;
  /** Subject of titles: "Integration credits", "Ann's message budget". */
  subject: string;
  /** A budget is one thing ("it runs out"), a pool's credits are many ("they run out"). */
  budget: boolean;
  cycleStart: string;
  figures?: Figures;
  matches(e: StoredUsageEvent): boolean;
}

export interface Names {
  apps: Map<string, string>;
  members: Map<string, string>;
}

export interface TargetEnv {
  balances: PoolBalance[];
  apps: Map<string, EvaluateInput['apps'][number]>;
  names: Names;
  /** The workspace cycle (app and member budgets). */
  cycle: Window;
  now: number;
  index: EventIndex;
  router?: Pick<PoolRouter, 'inPool'>;
}

const KIND: Record<PoolKind, string> = { message: 'message', integration: 'integration' };
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const memberOf = (holder: string): string | undefined =>
  holder.startsWith('member:') && holder !== UNKNOWN_HOLDER ? holder.slice('member:'.length) : undefined;

function poolMatcher(kind: PoolKind, holder: string, router: TargetEnv['router']): (e: StoredUsageEvent) => boolean {
  if (router) return (e) => router.inPool(e, kind, holder);
  if (holder === WORKSPACE) return (e) => e.kind === kind;
  if (holder === UNKNOWN_HOLDER) return (e) => e.kind === kind && !e.memberId;
  const id = holder.slice('member:'.length);
  return (e) => e.kind === kind && e.memberId === id;
}

function poolTarget(p: PoolBalance, env: TargetEnv, scopeKey = `pool:${p.kind}:${p.holder}`): Target {
  const memberId = memberOf(p.holder);
  const subject =
    p.holder === WORKSPACE ? `${capital(KIND[p.kind])} credits`
    : p.holder === UNKNOWN_HOLDER ? `Unattributed ${KIND[p.kind]} credits`
    : `${env.names.members.get(memberId!) ?? memberId}'s ${KIND[p.kind]} credits`;
  const t: Target = {
    scopeKey,
    kind: p.kind,
    holder: p.holder,
    subject,
    budget: false,
    cycleStart: p.cycle.start,
    figures: {
      limit: p.limit,
      used: p.used,
      remaining: p.remaining,
      exact: p.exact,
      cycleStart: p.cycle.start,
      cycleEnd: p.cycle.end,
      forecast: { ...p.forecast },
    },
    matches: poolMatcher(p.kind, p.holder, env.router),
  };
  if (memberId !== undefined) t.memberId = memberId;
  return t;
}

/** A budget's figures from the events: used this cycle, and a 7-day burn rate like the pools' forecast. */
function budgetFigures(limit: number, key: string, env: TargetEnv): Figures {
  const zero: Totals = { credits: 0, calls: 0, inexact: 0 };
  const cycle = env.index.totals(iso(env.cycle.start)).get(key) ?? zero;
  const week = env.index.totals(iso(env.now - 7 * DAY_MS)).get(key) ?? zero;
  const used = roundCredits(cycle.credits);
  const remaining = Math.max(0, roundCredits(limit - used));
  return {
    limit,
    used,
    remaining,
    exact: cycle.inexact === 0,
    cycleStart: iso(env.cycle.start),
    cycleEnd: iso(env.cycle.end),
    // The week's total as one event at `now` gives forecast() the same rate as the events themselves would.
    forecast: forecast({ events: [{ at: env.now, credits: week.credits }], now: env.now, remaining, cycleEnd: env.cycle.end }),
  };
}

export function targetsFor(scope: AlertScope, env: TargetEnv): Target[] {
  switch (scope.type) {
    case 'pools':
      return env.balances.filter((p) => !scope.kind || p.kind === scope.kind).map((p) => poolTarget(p, env));
    case 'pool': {
      const p = env.balances.find((b) => b.kind === scope.kind && b.holder === scope.holder);
      return p ? [poolTarget(p, env)] : [];
    }
    case 'app': {
      const { appId, kind } = scope;
      const name = env.names.apps.get(appId) ?? appId;
      const budget = env.apps.get(appId)?.budget?.[kind];
      const has = budget !== undefined && budget > 0;
      const t: Target = {
        scopeKey: `app:${kind}:${appId}`,
        kind,
        appId,
        subject: has ? `App ${name}'s ${KIND[kind]} budget` : `App ${name}'s ${KIND[kind]} credits`,
        budget: has,
        cycleStart: iso(env.cycle.start),
        matches: (e) => e.kind === kind && e.appId === appId,
      };
      if (has) t.figures = budgetFigures(budget, appTotal(kind, appId), env);
      return [t];
    }
    case 'member': {
      const { memberId, kind } = scope;
      const scopeKey = `member:${kind}:${memberId}`;
      const name = env.names.members.get(memberId) ?? memberId;
      if (scope.budget === undefined) {
        const p = env.balances.find((b) => b.kind === kind && b.holder === `member:${memberId}`);
        if (p) return [poolTarget(p, env, scopeKey)];
      }
      const t: Target = {
        scopeKey,
        kind,
        memberId,
        subject: scope.budget !== undefined ? `${name}'s ${KIND[kind]} budget` : `${name}'s ${KIND[kind]} credits`,
        budget: scope.budget !== undefined,
        cycleStart: iso(env.cycle.start),
        matches: (e) => e.kind === kind && e.memberId === memberId,
      };
      if (scope.budget !== undefined) t.figures = budgetFigures(scope.budget, memberTotal(kind, memberId), env);
      return [t];
    }
  }
}
