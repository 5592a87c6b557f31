// Learned prices over HTTP: exact readings and the estimated calls between them propose a corrected price to
// leads (InvokeLLM really costing 2 on the app's model); accepting it makes it the price the extension
// estimates with; dismissing hides it until the evidence changes; spend nobody observed is no price signal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import { toUsageEvent } from '../../extension/background/events';
import type { CallReport } from '../../shared/messages';
import type { Role } from '../../shared/schemas/common';

const LLM = 'Core.InvokeLLM';
let s: TestServer;
let t: Record<Role, Session>;
let base: string;
beforeEach(async () => {
  s = await startTestServer();
  t = await seedWorkspace(s);
  base = `/api/v1/workspaces/${t.owner.wsId}`;
  await api(s, t.owner, 'PATCH', base, { plan: 'builder', cycleAnchor: '2026-01-01T09:00:00Z' });
});
afterEach(() => s.close());

const at = (hhmm: string) => `2026-11-10T${hhmm}:00.000Z`;
const send = async (events: unknown[]) => expect((await api(s, t.collaborator, 'POST', `${base}/events`, { events })).status).toBe(200);
const read = async (hhmm: string, remaining: number) => {
  const r = await api(s, t.collaborator, 'POST', `${base}/readings`, { pool: 'integration', remaining, at: at(hhmm), source: 'page' });
  expect(r.status).toBe(201);
  return r.json.reconciliation;
};
/** `n` InvokeLLM calls, estimated the way the extension does: with the price table it last fetched. */
async function calls(n: number, hhmm: string) {
  const { overrides } = (await api(s, t.collaborator, 'GET', `${base}/prices`)).json;
  let i = 0;
  const reports: CallReport[] = Array.from({ length: n }, () => ({
    id: usageEvent().id, at: at(hhmm).replace(':00.000Z', `:${String(i++).padStart(2, '0')}.000Z`), action: LLM, appId: '698fc81203f85a20f281d9dc',
    context: 'preview', outcome: 'ok', credits: null, exact: false, flowId: 'flow_00000001', repeat: false, via: 'direct', key: 'POST /api/apps/x',
  }));
  await send(reports.map((r) => toUsageEvent(r, overrides)));
}
const proposals = async () => {
  const r = await api(s, t.lead, 'GET', `${base}/prices/proposals`);
  expect(r.status).toBe(200);
  return r.json;
};
const pool = async () => (await api(s, t.viewer, 'GET', `${base}/balance`)).json.pools.find((p: { kind: string }) => p.kind === 'integration');

/** Three intervals in which 8 InvokeLLM calls, estimated at 1, really cost 2 each. */
async function llmCostsTwo() {
  await read('08:00', 5000);
  await calls(3, '08:10');
  expect(await read('09:00', 4994)).toEqual({ actual: 6, observed: 3, unobserved: 3, overcounted: 0 });
  await calls(2, '09:10');
  await read('10:00', 4990);
  await calls(3, '10:10');
  await read('11:00', 4984);
}

describe('price learning', () => {
  it('readings show InvokeLLM costs 2; accepting makes new calls estimated at 2', async () => {
    await llmCostsTwo();
    const p = await proposals();
    expect(p.proposals).toEqual([
      { action: LLM, current: 1, proposed: 2, calls: 8, intervals: 3, confidence: 'medium', reason: '8 calls over 3 intervals between exact readings cost about 2 credits each, not 1' },
    ]);
    expect(p).toMatchObject({ dismissed: [], intervals: 3, leftOut: [] });

    const stale = await api(s, t.lead, 'POST', `${base}/prices/proposals/${LLM}/accept`, { proposed: 3 });
    expect([stale.status, stale.json.detail]).toEqual([409, 'the proposal for Core.InvokeLLM is now 2 credits, not 3: review it again']);
    const ok = await api(s, t.lead, 'POST', `${base}/prices/proposals/${LLM}/accept`, { proposed: 2 });
    expect(ok.status).toBe(200);
    expect(ok.json.accepted).toMatchObject({ action: LLM, proposed: 2 });

    const prices = (await api(s, t.viewer, 'GET', `${base}/prices`)).json;
    expect(prices.overrides[LLM]).toEqual({ credits: 2, note: 'learned from readings: 8 calls over 3 intervals' });
    expect(prices.prices[LLM]).toEqual({ credits: 2, certainty: 'override', source: 'learned from readings: 8 calls over 3 intervals' });
    expect((await proposals()).proposals).toEqual([]);

    // The extension estimates with the new table: 4 calls now take 8 credits off the balance, not 4.
    expect(await pool()).toMatchObject({ remaining: 4984, exact: true });
    await calls(4, '11:10');
    expect(await pool()).toMatchObject({ remaining: 4976, exact: false });
    // And the next reading agrees: nothing unobserved, nothing left to propose.
    expect(await read('11:40', 4976)).toEqual({ actual: 8, observed: 8, unobserved: 0, overcounted: 0 });
    expect((await proposals()).proposals).toEqual([]);
  });

  it('spend nobody observed (live users) is recorded as unobserved and proposes nothing', async () => {
    await read('07:00', 5000);
    await read('08:00', 4960);
    await calls(5, '08:10');
    await read('09:00', 4955); // the 5 calls cost what the table says
    await read('10:00', 4925);
    await calls(6, '10:10');
    await read('11:00', 4919);
    const unobs = await api(s, t.viewer, 'GET', `${base}/events?action=unobserved`);
    expect(unobs.json.events.map((e: { credits: number }) => e.credits)).toEqual([30, 40]);
    const p = await proposals();
    expect(p.proposals).toEqual([]);
    expect(p.leftOut).toEqual([{ id: expect.any(String), why: 'no-estimated-calls', unobserved: 40 }, { id: expect.any(String), why: 'no-estimated-calls', unobserved: 30 }]);
    expect(p.estimates).toEqual([{ action: LLM, current: 1, estimate: 1, calls: 11, intervals: 2, spread: 0 }]);
  });

  it('a dismissed proposal stays hidden until the evidence changes materially, across a restart', async () => {
    await llmCostsTwo();
    const d = await api(s, t.lead, 'POST', `${base}/prices/proposals/${LLM}/dismiss`, {});
    expect([d.status, d.json.dismissed.proposed]).toEqual([200, 2]);
    let p = await proposals();
    expect([p.proposals, p.dismissed.map((x: { action: string }) => x.action)]).toEqual([[], [LLM]]);

    // More of the same evidence: still hidden (and still so after a restart: both are journalled).
    await calls(2, '11:10');
    await read('11:20', 4980);
    const dir = s.dir;
    await s.close({ keepDir: true });
    s = await startTestServer({ dir });
    p = await proposals();
    expect([p.proposals, p.dismissed[0]?.calls]).toEqual([[], 10]);

    // A different figure (calls now cost 3) shows it again.
    await calls(10, '11:30');
    await read('11:50', 4950);
    p = await proposals();
    expect(p.proposals).toMatchObject([{ action: LLM, current: 1, proposed: 3, calls: 20, intervals: 5 }]);
    expect((await api(s, t.lead, 'POST', `${base}/prices/proposals/${LLM}/accept`, {})).status).toBe(200);
    expect((await api(s, t.viewer, 'GET', `${base}/prices`)).json.overrides[LLM].credits).toBe(3);
  });

  it.each([
    ['an action with no proposal', `${LLM.replace('LLM', 'Nothing')}/accept`, 404, undefined],
    ['a custom integration name (its "/" encoded)', 'custom:crm%2Fsync/dismiss', 404, undefined],
    ['a malformed action', 'bad%20action!/accept', 400, 'params.action'],
  ])('%s → %i', async (_what, path, status, errorPath) => {
    const r = await api(s, t.lead, 'POST', `${base}/prices/proposals/${path}`, {});
    expect(r.status).toBe(status);
    if (errorPath) expect(r.json.errors[0].path).toBe(errorPath);
  });
});
