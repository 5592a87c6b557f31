// Every route × every role × (own workspace | a foreign one | no token). A role below the route's minimum
// gets 403, a foreign workspace id 404 whatever the role, no token 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import { roleRank, roles, type Role } from '../../shared/schemas/common';
import { createInvite } from '../../server/domain/pairing';
import { DEFAULT_PACK } from '../../shared/readers';

let packVersion = 0;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

interface Fixture {
  a: Record<Role, Session>;
  b: Record<Role, Session>;
  targetMember: string;
  grantId: string;
  ruleId: string;
  channelId: string;
  alertId: string;
  deliveryId: string;
}

async function fixture(): Promise<Fixture> {
  const a = await seedWorkspace(s, 'A');
  const b = await seedWorkspace(s, 'B');
  // A spare viewer in A to be renamed, removed or revoked by the member routes.
  const { code } = await createInvite(s.built.deps, a.owner.wsId, { role: 'viewer', name: 'target' });
  const target = await api(s, null, 'POST', '/api/v1/pair', { code });
  const grant = await api(s, a.owner, 'POST', `/api/v1/workspaces/${a.owner.wsId}/grants`, { kind: 'integration', type: 'topup', credits: 1000 });
  const ws = `/api/v1/workspaces/${a.owner.wsId}`;
  const rule = await api(s, a.owner, 'POST', `${ws}/rules`, { name: 'r', scope: { type: 'pools' }, conditions: [{ type: 'percent_used', thresholds: [1] }] });
  const channel = await api(s, a.owner, 'POST', `${ws}/channels`, { type: 'webhook', name: 'w', url: 'http://127.0.0.1:9/hook' });
  // Spend enough to fire the 1% rule, and wait for the alert.
  await api(s, a.owner, 'POST', `${ws}/events`, { events: [usageEvent({ credits: 5 })] });
  let alertId = '';
  for (let i = 0; i < 100 && !alertId; i++) {
    alertId = (await api(s, a.owner, 'GET', `${ws}/alerts`)).json.alerts[0]?.id ?? '';
    if (!alertId) await new Promise((r) => setTimeout(r, 10));
  }
  const test = await api(s, a.owner, 'POST', `${ws}/channels/${channel.json.id}/test`);
  // A Monitoring API key, so "poll now" has something to poll (port 9 is one fetch refuses: no request leaves).
  await api(s, a.owner, 'PUT', `${ws}/monitoring`, monitoringBody());
  // Two exact readings around 10 InvokeLLM calls estimated at 1 that took 20: a price proposal to accept or dismiss.
  await api(s, a.owner, 'POST', `${ws}/readings`, { pool: 'integration', remaining: 90, at: '2026-11-10T09:00:00Z', source: 'manual' });
  await api(s, a.owner, 'POST', `${ws}/events`, { events: Array.from({ length: 10 }, () => usageEvent({ at: '2026-11-10T09:10:00Z' })) });
  await api(s, a.owner, 'POST', `${ws}/readings`, { pool: 'integration', remaining: 70, at: '2026-11-10T09:30:00Z', source: 'manual' });
  return { a, b, targetMember: target.json.member.id, grantId: grant.json.id, ruleId: rule.json.id, channelId: channel.json.id, alertId, deliveryId: test.json.deliveryId };
}

const monitoringBody = () => ({ apiKey: 'matrix-test-key-0001', workspaceId: 'b44-workspace', baseUrl: 'http://127.0.0.1:9' });

type Row = [method: string, path: string, min: Role | 'public', body?: (f: Fixture) => unknown];
const rows: Row[] = [
  ['GET', '/api/v1/me', 'viewer'],
  ['DELETE', '/api/v1/me/token', 'viewer'],
  ['POST', '/api/v1/workspaces', 'owner', () => ({ name: 'Another' })],
  ['GET', '/api/v1/workspaces/{ws}', 'viewer'],
  ['PATCH', '/api/v1/workspaces/{ws}', 'lead', () => ({ name: 'Renamed' })],
  ['POST', '/api/v1/workspaces/{ws}/invites', 'lead', () => ({ role: 'viewer' })],
  ['POST', '/api/v1/workspaces/{ws}/events', 'collaborator', () => ({ events: [usageEvent()] })],
  ['GET', '/api/v1/workspaces/{ws}/events', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/events?format=csv', 'viewer'],
  ['POST', '/api/v1/workspaces/{ws}/readings', 'collaborator', () => ({ pool: 'integration', remaining: 90, at: '2026-11-10T11:00:00Z', source: 'page' })],
  ['POST', '/api/v1/workspaces/{ws}/readings#manual', 'lead', () => ({ pool: 'integration', remaining: 90, at: '2026-11-10T11:00:00Z', source: 'manual' })],
  ['GET', '/api/v1/workspaces/{ws}/readings', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/pattern-pack', 'viewer'],
  ['PUT', '/api/v1/workspaces/{ws}/pattern-pack', 'lead', () => ({ ...DEFAULT_PACK, version: 1000 + ++packVersion })],
  ['DELETE', '/api/v1/workspaces/{ws}/pattern-pack', 'lead'],
  ['GET', '/api/v1/workspaces/{ws}/balance', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/usage', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/stream', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/members', 'viewer'],
  ['PATCH', '/api/v1/workspaces/{ws}/members/{member}', 'lead', () => ({ name: 'Renamed' })],
  ['POST', '/api/v1/workspaces/{ws}/members/{member}/revoke-tokens', 'lead'],
  ['DELETE', '/api/v1/workspaces/{ws}/members/{member}', 'lead'],
  ['GET', '/api/v1/workspaces/{ws}/apps', 'viewer'],
  ['PUT', '/api/v1/workspaces/{ws}/apps/698fc81203f85a20f281d9dc', 'lead', () => ({ name: 'Shop' })],
  ['GET', '/api/v1/workspaces/{ws}/grants', 'viewer'],
  ['POST', '/api/v1/workspaces/{ws}/grants', 'lead', () => ({ kind: 'message', type: 'bonus', credits: 50 })],
  ['DELETE', '/api/v1/workspaces/{ws}/grants/{grant}', 'lead'],
  ['GET', '/api/v1/workspaces/{ws}/prices', 'viewer'],
  ['PATCH', '/api/v1/workspaces/{ws}/prices', 'lead', () => ({ prices: { 'Core.InvokeLLM': { credits: 2 } } })],
  ['GET', '/api/v1/workspaces/{ws}/prices/proposals', 'lead'],
  ['POST', '/api/v1/workspaces/{ws}/prices/proposals/Core.InvokeLLM/accept', 'lead', () => ({ proposed: 2 })],
  ['POST', '/api/v1/workspaces/{ws}/prices/proposals/Core.InvokeLLM/dismiss', 'lead', () => ({})],
  ['GET', '/api/v1/workspaces/{ws}/rules', 'viewer'],
  ['POST', '/api/v1/workspaces/{ws}/rules', 'lead', () => ({ name: 'x', scope: { type: 'pools' }, conditions: [{ type: 'percent_used', thresholds: [90] }] })],
  ['PUT', '/api/v1/workspaces/{ws}/rules/{rule}', 'lead', () => ({ name: 'y', scope: { type: 'pools' }, conditions: [{ type: 'percent_used', thresholds: [90] }] })],
  ['DELETE', '/api/v1/workspaces/{ws}/rules/{rule}', 'lead'],
  ['GET', '/api/v1/workspaces/{ws}/channels', 'lead'],
  ['POST', '/api/v1/workspaces/{ws}/channels', 'lead', () => ({ type: 'slack', name: 's', url: 'http://127.0.0.1:9/slack' })],
  ['PATCH', '/api/v1/workspaces/{ws}/channels/{channel}', 'lead', () => ({ enabled: false })],
  ['DELETE', '/api/v1/workspaces/{ws}/channels/{channel}', 'lead'],
  ['POST', '/api/v1/workspaces/{ws}/channels/{channel}/test', 'lead'],
  ['GET', '/api/v1/workspaces/{ws}/deliveries/{delivery}', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/alerts', 'viewer'],
  ['POST', '/api/v1/workspaces/{ws}/alerts/{alert}/ack', 'viewer', () => ({})],
  ['GET', '/api/v1/workspaces/{ws}/alerts/{alert}/deliveries', 'viewer'],
  ['GET', '/api/v1/workspaces/{ws}/monitoring', 'lead'],
  ['PUT', '/api/v1/workspaces/{ws}/monitoring', 'owner', monitoringBody],
  ['DELETE', '/api/v1/workspaces/{ws}/monitoring', 'owner'],
  ['POST', '/api/v1/workspaces/{ws}/monitoring/poll', 'owner'],
  ['GET', '/metrics', 'owner'],
  ['GET', '/healthz', 'public'],
  ['GET', '/openapi.json', 'public'],
  ['POST', '/api/v1/pair', 'public', () => ({ code: 'ZZZZ-ZZZZ' })],
];

async function call(row: Row, f: Fixture, who: Session | null, wsId: string) {
  const [method, template, , body] = row;
  const path = template.replace('{ws}', wsId).replace('{member}', f.targetMember).replace('{grant}', f.grantId)
    .replace('{rule}', f.ruleId).replace('{channel}', f.channelId).replace('{alert}', f.alertId).replace('{delivery}', f.deliveryId).replace(/#.*$/, '');
  if (template.endsWith('/stream')) {
    // SSE never ends: read the status, then hang up.
    const ctl = new AbortController();
    const res = await fetch(`${s.url}${path}`, { headers: who ? { authorization: `Bearer ${who.token}` } : {}, signal: ctl.signal });
    ctl.abort();
    return res.status;
  }
  return (await api(s, who, method, path, body?.(f))).status;
}

const cases = rows.flatMap((row) => [...roles, 'none' as const].map((who) => [row[0], row[1], who, row] as const));

describe('auth matrix', () => {
  it('covers every route the app serves', () => {
    const covered = new Set(rows.map(([m, p]) => `${m} ${p.replace(/#.*$/, '').replace(/\?.*$/, '')}`));
    const norm = (p: string) => p.replace(':ws', '{ws}').replace(':memberId', '{member}').replace(':grantId', '{grant}').replace(':ruleId', '{rule}')
      .replace(':channelId', '{channel}').replace(':alertId', '{alert}').replace(':deliveryId', '{delivery}').replace(':appId', '698fc81203f85a20f281d9dc')
      .replace(':action', 'Core.InvokeLLM');
    const missing = s.built.routes.map((r) => `${r.method.toUpperCase()} ${norm(r.path)}`).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });

  it.each(cases)('%s %s as %s', async (_m, template, who, row) => {
    const f = await fixture();
    const min = row[2];
    const session = who === 'none' ? null : f.a[who];
    const own = await call(row, f, session, f.a.owner.wsId);
    if (min === 'public') {
      // Public routes answer the same for everyone (pair: the made-up code is unknown → 404).
      expect(own).toBe(template === '/api/v1/pair' ? 404 : 200);
      return;
    }
    if (who === 'none') {
      expect(own).toBe(401);
      return;
    }
    if (roleRank[who] >= roleRank[min]) expect(own, 'allowed role').toBeLessThan(300);
    else expect(own, 'role below minimum').toBe(403);
    if (template.includes('{ws}')) {
      // A token never sees another workspace: its id answers 404, whatever the role.
      expect(await call(row, f, session, f.b.owner.wsId)).toBe(404);
    }
  });

  it('a token of workspace B cannot read A through its own id either', async () => {
    const f = await fixture();
    const r = await api(s, f.b.owner, 'GET', `/api/v1/workspaces/${f.a.owner.wsId}/balance`);
    expect(r.status).toBe(404);
    expect(r.type).toContain('application/problem+json');
  });

  it('revoked and made-up tokens answer 401 problem+json', async () => {
    const f = await fixture();
    expect((await api(s, f.a.viewer, 'DELETE', '/api/v1/me/token')).status).toBe(204);
    const r = await api(s, f.a.viewer, 'GET', '/api/v1/me');
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect((await api(s, { ...f.a.viewer, token: 'cw_madeup' }, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await api(s, null, 'GET', '/api/v1/me', undefined, { authorization: 'Basic abc' })).status).toBe(401);
  });
});
