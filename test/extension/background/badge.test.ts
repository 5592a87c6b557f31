// The badge: the pool that matters for the tab, pending local credits subtracted at once, colours by level.
import { describe, expect, it } from 'vitest';
import { badgeFor, kindForTab, outOfCreditsOver, pendingCredits, poolFor } from '../../../extension/background/badge';
import type { PoolBalance } from '../../../shared/schemas/balance';
import type { Delivery, KnownBalance } from '../../../extension/utils/storage';

const pool = (kind: 'message' | 'integration', remaining: number, limit: number, holder = 'workspace'): PoolBalance => ({
  kind, holder, limit, used: limit - remaining, remaining, exact: false,
  cycle: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' }, forecast: { perDay: 1, beforeReset: false },
});
const balance = (pools: PoolBalance[], receivedAt = 1000): KnownBalance => ({ pools, at: '2026-11-24T10:00:00Z', receivedAt });
const NONE = { credits: { integration: 0, message: 0 } };
const delivery = (acked: Delivery['acked'] = []): Delivery => ({ attempts: 0, acked, rejected: [] });
const ev = (credits: number, kind: 'message' | 'integration' = 'integration') => ({
  id: `evt_${credits}_${kind}`, at: '2026-11-24T10:00:00Z', kind, credits, exact: false, action: 'Core.InvokeLLM', context: 'preview' as const, outcome: 'ok' as const,
});

describe('badge', () => {
  it.each([
    ['https://app.base44.com/apps/abc/editor/preview', 'message'],
    ['https://preview-sandbox--abc.base44.app/', 'integration'],
    ['https://myapp.base44.app/', 'integration'],
    ['https://news.example.com/', 'integration'],
    [undefined, 'integration'],
  ])('%s → %s pool', (url, kind) => expect(kindForTab(url)).toBe(kind));

  it('prefers the workspace pool, then the member’s own', () => {
    const pools = [pool('message', 5, 10, 'member:m2'), pool('message', 7, 10, 'member:m1')];
    expect(poolFor(pools, 'message', 'm1')?.remaining).toBe(7);
    expect(poolFor([...pools, pool('message', 1, 10)], 'message', 'm1')?.holder).toBe('workspace');
  });

  it('counts outbox events and acks newer than the balance as pending', () => {
    const d = delivery([{ credits: 2, kind: 'integration', at: 900 }, { credits: 3, kind: 'integration', at: 1100 }, { credits: 5, kind: 'message', at: 1100 }]);
    expect(pendingCredits('integration', { credits: { integration: 1, message: 0.5 } }, d, balance([], 1000))).toBe(4);
  });

  it.each([
    [10_000, 9_950, 0, '9.9k', '#188038'],
    [10_000, 1_500, 0, '1.5k', '#e37400'],
    [10_000, 420, 8, '412', '#d93025'],
    [100, 3, 5, '0', '#d93025'],
  ])('limit %d, remaining %d, pending %d → %s', (limit, remaining, pending, text, color) => {
    const b = badgeFor({ balance: balance([pool('integration', remaining, limit)]), outbox: { credits: { integration: pending, message: 0 } }, delivery: delivery(), paired: true, outOfCredits: false });
    expect(b).toMatchObject({ text, color });
  });

  it('shows 0 in red when a 402 said the integration pool is empty, and nothing when unpaired', () => {
    const bal = balance([pool('integration', 500, 1000)]);
    expect(badgeFor({ balance: bal, outbox: NONE, delivery: delivery(), paired: true, outOfCredits: true })).toMatchObject({ text: '0', color: '#d93025', title: expect.stringMatching(/out of integration credits/) });
    expect(badgeFor({ balance: bal, outbox: NONE, delivery: delivery(), paired: false, outOfCredits: false }).text).toBe('');
    expect(badgeFor({ balance: null, outbox: NONE, delivery: delivery(), paired: true, outOfCredits: false }).text).toBe('?');
  });
});

describe('out-of-credits flag', () => {
  const ooc = { at: '2026-11-20T10:00:00Z' };
  const p = (over: Partial<PoolBalance>) => ({ ...pool('integration', 50, 500), ...over });
  it.each([
    ['no flag', null, [p({})], false],
    ['same cycle, estimate only', ooc, [p({ cycle: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' } })], false],
    ['a new cycle began after the 402', ooc, [p({ cycle: { start: '2026-11-21T00:00:00Z', end: '2026-12-21T00:00:00Z' } })], true],
    ['an exact reading after the 402 shows credits', ooc, [p({ exact: true, readingAt: '2026-11-20T11:00:00Z', remaining: 1000 })], true],
    ['an exact reading from before the 402', ooc, [p({ exact: true, readingAt: '2026-11-20T09:00:00Z', remaining: 1000 })], false],
    ['an exact reading after it, still empty', ooc, [p({ exact: true, readingAt: '2026-11-20T11:00:00Z', remaining: 0 })], false],
  ])('%s → cleared %s', (_, flag, pools, cleared) => expect(outOfCreditsOver(flag, pools as PoolBalance[])).toBe(cleared));
});
