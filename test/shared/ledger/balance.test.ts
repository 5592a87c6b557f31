import { describe, expect, it } from 'vitest';
import { computeBalances, pickReading } from '../../../shared/ledger/balance';
import type { LedgerInput, LedgerWorkspace } from '../../../shared/ledger/types';
import type { PoolBalance } from '../../../shared/schemas/balance';
import { ev, grant, ms, msg, reading } from './fixtures';

// Cycles start on the 1st at 00:00 UTC; now is in the March 2026 cycle.
const NOW = ms('2026-03-20T12:00:00Z');
const CYCLE = { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' };

function input(workspace: Partial<LedgerWorkspace>, more: Partial<LedgerInput> = {}): LedgerInput {
  return {
    workspace: { billingModel: 'pool', plan: 'starter', cycleAnchor: '2026-01-01T00:00:00Z', ownerId: 'own', ...workspace },
    members: [{ id: 'own' }, { id: 'ann' }, { id: 'bob' }],
    apps: [],
    grants: [],
    events: [],
    readings: [],
    now: NOW,
    ...more,
  };
}

/** The figures a row checks: [kind, holder, limit, used, remaining]. */
const figures = (pools: PoolBalance[]) => pools.map((p) => [p.kind, p.holder, p.limit, p.used, p.remaining]);

describe('pool model', () => {
  const events = [
    msg('2026-03-02T00:00:00Z', 10, { memberId: 'ann' }),
    msg('2026-03-03T00:00:00Z', 20, { memberId: 'bob' }),
    msg('2026-03-04T00:00:00Z', 5),
    msg('2026-02-20T00:00:00Z', 7, { memberId: 'ann' }), // last cycle
    ev('2026-03-05T00:00:00Z', 100, { appId: 'app1', memberId: 'ann' }),
  ];
  it.each<[string, LedgerWorkspace['memberCaps'], (string | number)[][]]>([
    ['no caps: one pool per kind', undefined, [['message', 'workspace', 250, 35, 215], ['integration', 'workspace', 10000, 100, 9900]]],
    ['default cap null and no overrides: no member pools', { default: null, byMember: {} }, [['message', 'workspace', 250, 35, 215], ['integration', 'workspace', 10000, 100, 9900]]],
    ['default cap with an override; a cap is a sub-limit that can be overspent', { default: 30, byMember: { bob: 15 } }, [
      ['message', 'workspace', 250, 35, 215],
      ['message', 'member:ann', 30, 10, 20],
      ['message', 'member:bob', 15, 20, 0],
      ['message', 'member:own', 30, 0, 30],
      ['integration', 'workspace', 10000, 100, 9900],
    ]],
    ['overrides only, including a member not (or no longer) listed', { byMember: { ann: 5, zed: 8 } }, [
      ['message', 'workspace', 250, 35, 215],
      ['message', 'member:ann', 5, 10, 0],
      ['message', 'member:zed', 8, 0, 8],
      ['integration', 'workspace', 10000, 100, 9900],
    ]],
  ])('%s', (_what, memberCaps, expected) => {
    expect(figures(computeBalances(input({ plan: 'builder', memberCaps }, { events })))).toEqual(expected);
  });

  it('caps hold no grants; grants of any holder add to the workspace pool', () => {
    const grants = [grant('g1', 50, '2026-03-10T00:00:00Z', { kind: 'message', holder: 'member:ann' })];
    expect(figures(computeBalances(input({ plan: 'builder', memberCaps: { default: 30 } }, { events, grants }))).slice(0, 2)).toEqual([
      ['message', 'workspace', 300, 35, 265],
      ['message', 'member:ann', 30, 10, 20],
    ]);
  });

  it('returns the whole balance shape', () => {
    const pools = computeBalances(input({ plan: 'builder' }, {
      events: [...events, ev('2026-03-19T12:00:00Z', 70)],
      grants: [grant('g1', 1000, '2026-02-01T00:00:00Z')],
    }));
    expect(pools).toStrictEqual([
      { kind: 'message', holder: 'workspace', limit: 250, used: 35, remaining: 215, exact: false, cycle: CYCLE, forecast: { perDay: 0, beforeReset: false } },
      {
        kind: 'integration', holder: 'workspace', limit: 11000, used: 170, remaining: 10830, exact: false, cycle: CYCLE,
        // 70 credits in the trailing 7 days: 10 a day; 10830 left lasts 1083 days, long after the reset.
        forecast: { perDay: 10, runOutAt: '2029-03-07T12:00:00.000Z', beforeReset: false },
        grants: { remaining: 1000, nextExpiry: '2027-02-01T00:00:00.000Z' },
      },
    ]);
  });
});

describe('seat model', () => {
  const apps = [{ id: 'app1', ownerId: 'ann' }, { id: 'app2', ownerId: null }, { id: 'app3' }];
  const events = [
    msg('2026-03-02T00:00:00Z', 10, { memberId: 'ann' }),
    msg('2026-03-02T00:00:00Z', 5, { memberId: 'own' }),
    ev('2026-03-03T00:00:00Z', 50, { appId: 'app1', memberId: 'own' }), // ann's app: ann's credits, whoever clicked
    ev('2026-03-03T00:00:00Z', 30, { appId: 'app2' }), // app without owner → workspace owner
    ev('2026-03-03T00:00:00Z', 7, { appId: 'app9' }), // unknown app → workspace owner
    ev('2026-03-03T00:00:00Z', 3), // no app → workspace owner
  ];
  const grants = [
    grant('int-ann', 1000, '2026-02-01T00:00:00Z', { holder: 'member:ann' }),
    grant('msg-ws', 50, '2026-03-02T00:00:00Z', { kind: 'message' }), // bought for "workspace": the owner's
  ];

  it.each<[string, LedgerInput['events'], (string | number)[][]]>([
    ['per-member message pools and app-owner integration pools', events, [
      ['message', 'member:ann', 100, 10, 90],
      ['message', 'member:bob', 100, 0, 100],
      ['message', 'member:own', 150, 5, 145],
      ['integration', 'member:ann', 3000, 50, 2950],
      ['integration', 'member:own', 2000, 40, 1960],
    ]],
    ['message events without a member go to member:unknown', [...events, msg('2026-03-04T00:00:00Z', 2)], [
      ['message', 'member:ann', 100, 10, 90],
      ['message', 'member:bob', 100, 0, 100],
      ['message', 'member:own', 150, 5, 145],
      ['message', 'member:unknown', 100, 2, 98],
      ['integration', 'member:ann', 3000, 50, 2950],
      ['integration', 'member:own', 2000, 40, 1960],
    ]],
    ['an unattributed event of an earlier cycle creates no pool', [...events, msg('2026-02-04T00:00:00Z', 2)], [
      ['message', 'member:ann', 100, 10, 90],
      ['message', 'member:bob', 100, 0, 100],
      ['message', 'member:own', 150, 5, 145],
      ['integration', 'member:ann', 3000, 50, 2950],
      ['integration', 'member:own', 2000, 40, 1960],
    ]],
    ['a reconciliation remainder goes back to the member it was measured on', [...events, ev('2026-03-05T00:00:00Z', 4, { action: 'unobserved', memberId: 'ann' })], [
      ['message', 'member:ann', 100, 10, 90],
      ['message', 'member:bob', 100, 0, 100],
      ['message', 'member:own', 150, 5, 145],
      ['integration', 'member:ann', 3000, 54, 2946],
      ['integration', 'member:own', 2000, 40, 1960],
    ]],
  ])('%s', (_what, evs, expected) => {
    expect(figures(computeBalances(input({ billingModel: 'seat' }, { apps, events: evs, grants })))).toEqual(expected);
  });

  it('carries grants per holder', () => {
    const pools = computeBalances(input({ billingModel: 'seat' }, { apps, events, grants }));
    expect(pools.map((p) => [p.holder, p.kind, p.grants])).toEqual([
      ['member:ann', 'message', undefined],
      ['member:bob', 'message', undefined],
      ['member:own', 'message', { remaining: 50, nextExpiry: '2027-03-02T00:00:00.000Z' }],
      ['member:ann', 'integration', { remaining: 1000, nextExpiry: '2027-02-01T00:00:00.000Z' }],
      ['member:own', 'integration', undefined],
    ]);
  });
});

describe('readings', () => {
  // Starter integration pool: 2000. 170 credits observed this cycle, the last 20 of them estimated.
  const events = [
    ev('2026-03-02T00:00:00Z', 100, { exact: false }),
    ev('2026-03-10T00:00:00Z', 50),
    ev('2026-03-12T00:00:00Z', 20, { exact: false }),
  ];
  type Row = [string, LedgerInput['readings'], LedgerInput['grants'], { limit: number; used: number; remaining: number; exact: boolean; readingAt?: string }];
  it.each<Row>([
    ['no reading: estimate', [], [], { limit: 2000, used: 170, remaining: 1830, exact: false }],
    ['an exact reading resets the estimate; an estimated event after it makes it inexact',
      [reading('2026-03-11T00:00:00Z', 1700)], [], { limit: 2000, used: 320, remaining: 1680, exact: false, readingAt: '2026-03-11T00:00:00.000Z' }],
    ['an exact reading with only exact events after it is exact',
      [reading('2026-03-13T00:00:00Z', 1700)], [], { limit: 2000, used: 300, remaining: 1700, exact: true, readingAt: '2026-03-13T00:00:00.000Z' }],
    ['the latest exact reading counts',
      [reading('2026-03-13T00:00:00Z', 1690), reading('2026-03-11T00:00:00Z', 1700)], [], { limit: 2000, used: 310, remaining: 1690, exact: true, readingAt: '2026-03-13T00:00:00.000Z' }],
    ["the reading's limit",
      [reading('2026-03-13T00:00:00Z', 1700, { limit: 2500 })], [], { limit: 2500, used: 800, remaining: 1700, exact: true, readingAt: '2026-03-13T00:00:00.000Z' }],
    ['a grant bought after the reading adds on top',
      [reading('2026-03-13T00:00:00Z', 1700, { limit: 2000 })], [grant('top', 1000, '2026-03-14T00:00:00Z')],
      { limit: 3000, used: 300, remaining: 2700, exact: true, readingAt: '2026-03-13T00:00:00.000Z' }],
    ['a reading from the previous cycle is ignored',
      [reading('2026-02-25T00:00:00Z', 10)], [], { limit: 2000, used: 170, remaining: 1830, exact: false }],
    ['a reading after now is ignored',
      [reading('2026-03-21T00:00:00Z', 10)], [], { limit: 2000, used: 170, remaining: 1830, exact: false }],
    ["another pool's reading is ignored",
      [reading('2026-03-13T00:00:00Z', 10, { pool: 'message' }), reading('2026-03-13T00:00:00Z', 10, { holder: 'member:ann' })], [],
      { limit: 2000, used: 170, remaining: 1830, exact: false }],
    ['an inexact reading is used, and stays an estimate',
      [reading('2026-03-13T00:00:00Z', 1200, { exact: false })], [], { limit: 2000, used: 800, remaining: 1200, exact: false, readingAt: '2026-03-13T00:00:00.000Z' }],
    ['an exact reading wins over a later inexact one',
      [reading('2026-03-15T00:00:00Z', 1200, { exact: false }), reading('2026-03-13T00:00:00Z', 1700)], [],
      { limit: 2000, used: 300, remaining: 1700, exact: true, readingAt: '2026-03-13T00:00:00.000Z' }],
  ])('%s', (_what, readings, grants, expected) => {
    const [, integration] = computeBalances(input({}, { events, readings, grants }));
    const { limit, used, remaining, exact, readingAt } = integration;
    expect({ limit, used, remaining, exact, ...(readingAt ? { readingAt } : {}) }).toStrictEqual(expected);
  });

  it('pickReading breaks ties on the same instant by arrival', () => {
    const a = reading('2026-03-13T00:00:00Z', 1, { id: 'a', receivedAt: '2026-03-13T00:00:05Z' });
    const b = reading('2026-03-13T00:00:00Z', 2, { id: 'b', receivedAt: '2026-03-13T00:00:01Z' });
    expect(pickReading([a, b], 'integration', 'workspace', ms(CYCLE.start), NOW)?.id).toBe('a');
    expect(pickReading([b, a], 'integration', 'workspace', ms(CYCLE.start), NOW)?.id).toBe('a');
  });
});

describe('Free plan daily message allowance', () => {
  it.each<[string, LedgerInput['events'], { remaining: number; daily: NonNullable<PoolBalance['daily']>; used: number }]>([
    ['daily remainder is smaller', [msg('2026-03-19T00:00:00Z', 3), msg('2026-03-20T01:00:00Z', 2), msg('2026-03-20T10:00:00Z', 1.5)],
      { used: 6.5, remaining: 1.5, daily: { limit: 5, used: 3.5, remaining: 1.5, resetAt: '2026-03-21T00:00:00.000Z' } }],
    ['daily allowance spent', [msg('2026-03-20T01:00:00Z', 6)],
      { used: 6, remaining: 0, daily: { limit: 5, used: 6, remaining: 0, resetAt: '2026-03-21T00:00:00.000Z' } }],
    ['monthly remainder is smaller', [msg('2026-03-05T00:00:00Z', 23), msg('2026-03-20T00:00:00Z', 1)],
      { used: 24, remaining: 1, daily: { limit: 5, used: 1, remaining: 4, resetAt: '2026-03-21T00:00:00.000Z' } }],
  ])('%s', (_what, events, expected) => {
    const [message, integration] = computeBalances(input({ plan: 'free' }, { events }));
    expect({ used: message.used, remaining: message.remaining, daily: message.daily }).toStrictEqual(expected);
    expect(message.limit).toBe(25);
    expect(integration.daily).toBeUndefined();
  });
});
