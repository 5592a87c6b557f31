import { describe, expect, it } from 'vitest';
import { reconcile, type Reconciliation } from '../../../shared/ledger/reconcile';
import type { LedgerWorkspace } from '../../../shared/ledger/types';
import type { Grant } from '../../../shared/schemas/grants';
import type { Reading } from '../../../shared/schemas/readings';
import { ev, grant, msg, reading } from './fixtures';

const ANCHOR = '2026-01-01T00:00:00Z';
const PREV = reading('2026-03-05T00:00:00Z', 1000);
const NEXT = reading('2026-03-10T00:00:00Z', 900);
const EVENTS = [
  ev('2026-03-04T00:00:00Z', 10), // before prev
  ev('2026-03-05T00:00:00Z', 10), // at prev: already in it
  ev('2026-03-06T00:00:00Z', 60),
  ev('2026-03-07T00:00:00Z', 0.3, { exact: false }),
  msg('2026-03-08T00:00:00Z', 5), // other kind
  ev('2026-03-09T00:00:00Z', 20, { action: 'unobserved' }), // an earlier remainder
  ev('2026-03-10T00:00:00Z', 10), // at next: counted
  ev('2026-03-11T00:00:00Z', 10), // after next
];

describe('reconcile', () => {
  it.each<[string, Reading, Reading, Grant[], Reconciliation | null]>([
    ['unobserved usage', PREV, NEXT, [], { actual: 100, observed: 70.3, unobserved: 29.7, overcounted: 0 }],
    ['overcounted', PREV, { ...NEXT, remaining: 950 }, [], { actual: 50, observed: 70.3, unobserved: 0, overcounted: 20.3 }],
    ['a grant bought between the readings is added back', PREV, { ...NEXT, remaining: 1400 },
      [grant('top', 500, '2026-03-08T00:00:00Z'), grant('at-prev', 70, '2026-03-05T00:00:00Z'), grant('msg', 50, '2026-03-08T00:00:00Z', { kind: 'message' })],
      { actual: 100, observed: 70.3, unobserved: 29.7, overcounted: 0 }],
    ['a grant bought at the next reading is in it', PREV, { ...NEXT, remaining: 1000 }, [grant('top', 100, '2026-03-10T00:00:00Z')],
      { actual: 100, observed: 70.3, unobserved: 29.7, overcounted: 0 }],
    ['across a cycle reset → null', PREV, { ...NEXT, at: '2026-04-02T00:00:00Z' }, [], null],
    ['previous reading inexact → null', { ...PREV, exact: false }, NEXT, [], null],
    ['next reading inexact → null', PREV, { ...NEXT, exact: false }, [], null],
    ['different pools → null', PREV, { ...NEXT, pool: 'message' }, [], null],
    ['different holders → null', PREV, { ...NEXT, holder: 'member:ann' }, [], null],
    ['next not after prev → null', NEXT, PREV, [], null],
    ['same instant → null', PREV, { ...PREV, remaining: 990 }, [], null],
  ])('%s', (_what, prev, next, grants, expected) => {
    expect(reconcile(prev, next, EVENTS, grants, ANCHOR)).toStrictEqual(expected);
  });

  it('filters to the pool with the balance routing (seat model: the app owner)', () => {
    const workspace: LedgerWorkspace = { billingModel: 'seat', plan: 'starter', cycleAnchor: ANCHOR };
    const apps = [{ id: 'app1', ownerId: 'ann' }, { id: 'app2' }];
    const events = [ev('2026-03-06T00:00:00Z', 30, { appId: 'app1', memberId: 'own' }), ev('2026-03-06T00:00:00Z', 40, { appId: 'app2', memberId: 'ann' })];
    const grants = [grant('ann', 100, '2026-03-07T00:00:00Z', { holder: 'member:ann' }), grant('own', 100, '2026-03-07T00:00:00Z')];
    const prev = reading('2026-03-05T00:00:00Z', 1000, { holder: 'member:ann' });
    const next = reading('2026-03-10T00:00:00Z', 1050, { holder: 'member:ann' });
    expect(reconcile(prev, next, events, grants, ANCHOR, { workspace, apps, ownerId: 'own' })).toStrictEqual({ actual: 50, observed: 30, unobserved: 20, overcounted: 0 });
  });

  it('pool model: a member cap counts only that member', () => {
    const workspace: LedgerWorkspace = { billingModel: 'pool', plan: 'starter', cycleAnchor: ANCHOR, memberCaps: { default: 50 } };
    const events = [msg('2026-03-06T00:00:00Z', 4, { memberId: 'ann' }), msg('2026-03-06T00:00:00Z', 9, { memberId: 'bob' })];
    const prev = reading('2026-03-05T00:00:00Z', 40, { pool: 'message', holder: 'member:ann' });
    const next = reading('2026-03-10T00:00:00Z', 35, { pool: 'message', holder: 'member:ann' });
    expect(reconcile(prev, next, events, [], ANCHOR, { workspace, apps: [] })).toStrictEqual({ actual: 5, observed: 4, unobserved: 1, overcounted: 0 });
  });
});
