// The warm balance (server/domain/balance-cache.ts) must equal a full computation after any sequence of ingests,
// in both billing models, with member caps, a Free daily allowance, readings and grants. Forecasts may lag.
import { afterEach, describe, expect, it } from 'vitest';
import { computeBalances } from '../../shared/ledger';
import { ledgerInput } from '../../server/domain/ledger-view';
import { currentBalances } from '../../server/domain/balance-cache';
import { api, seedWorkspace, startTestServer, usageEvent, type TestServer } from '../support/server';

let s: TestServer;
afterEach(() => s?.close());

const strip = (pools: ReturnType<typeof computeBalances>) => pools.map(({ forecast: _f, ...p }) => p);

describe.each([
  ['pool model, Builder, member caps', { billingModel: 'pool', plan: 'builder', memberCaps: { default: 40 } }],
  ['pool model, Free (daily allowance)', { billingModel: 'pool', plan: 'free' }],
  ['seat model, Pro', { billingModel: 'seat', plan: 'pro' }],
])('warm balances, %s', (_name, settings) => {
  it('equal a full computation after every batch', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}`;
    await api(s, t.owner, 'PATCH', base, { ...settings, cycleAnchor: '2026-11-01T00:00:00Z' });
    await api(s, t.owner, 'POST', `${base}/readings`, { pool: 'integration', remaining: 90, at: '2026-11-10T10:00:00Z', source: 'manual' });
    // A message reading too: events before it still count toward Free's daily allowance.
    await api(s, t.owner, 'POST', `${base}/readings`, { pool: 'message', remaining: 20, at: '2026-11-10T11:30:00Z', source: 'manual' });
    await api(s, t.lead, 'POST', `${base}/grants`, { kind: 'integration', type: 'topup', credits: 1000, purchasedAt: '2026-11-05T00:00:00Z' });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const who = [t.owner, t.lead, t.collaborator];
    for (let batch = 0; batch < 25; batch++) {
      const events = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => usageEvent({
        kind: rnd() < 0.4 ? 'message' : 'integration',
        credits: Math.round(rnd() * 30) / 10,
        exact: rnd() < 0.5,
        // Some before the reading, some in an earlier cycle, most recent.
        at: new Date(Date.parse('2026-11-10T12:00:00Z') - Math.floor(rnd() < 0.2 ? rnd() * 20 * 86400_000 : rnd() * 3 * 3600_000)).toISOString(),
      }));
      await api(s, who[batch % 3], 'POST', `${base}/events`, { events });
      s.clock.now += 1000 * Math.floor(rnd() * 3);
      const ws = s.store.state.workspaces[t.owner.wsId];
      const warmPools = currentBalances(s.built.deps, t.owner.wsId, ws);
      const fullPools = computeBalances(ledgerInput(s.built.deps, t.owner.wsId));
      expect(strip(warmPools), `after batch ${batch}`).toEqual(strip(fullPools));
    }
  });
});
