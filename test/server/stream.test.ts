// The live stream over real HTTP: initial balance, live usage and balance frames, heartbeat, replay after
// reconnect with Last-Event-ID, token in the query, and no frames from other workspaces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, usageEvent, type Session, type TestServer } from '../support/server';
import { openSse, type SseClient } from '../support/sse';
import type { Role } from '../../shared/schemas/common';

let s: TestServer;
let t: Record<Role, Session>;
let base: string;
const open: SseClient[] = [];
beforeEach(async () => {
  s = await startTestServer({ heartbeatMs: 200 });
  t = await seedWorkspace(s);
  base = `/api/v1/workspaces/${t.owner.wsId}`;
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await s.close();
});

async function stream(who: Session, headers: Record<string, string> = {}, viaQuery = false) {
  const c = await openSse(`${s.url}${base}/stream${viaQuery ? `?token=${who.token}` : ''}`, viaQuery ? headers : { authorization: `Bearer ${who.token}`, ...headers });
  open.push(c);
  return c;
}

describe('GET stream', () => {
  it('starts with the balance, then pushes usage and balance frames live, each with an id', async () => {
    const c = await stream(t.viewer);
    expect(c.status).toBe(200);
    const first = await c.next((f) => f.event === 'balance');
    expect(JSON.parse(first.data!).pools.find((p: { kind: string }) => p.kind === 'integration').remaining).toBe(100);
    await api(s, t.collaborator, 'POST', `${base}/events`, { events: [usageEvent({ credits: 3 })] });
    const usage = await c.next((f) => f.event === 'usage');
    expect(JSON.parse(usage.data!).events[0]).toMatchObject({ credits: 3, memberId: t.collaborator.memberId });
    const live = await c.next((f) => f.event === 'balance' && JSON.parse(f.data!).pools.some((p: { kind: string; remaining: number }) => p.kind === 'integration' && p.remaining === 97));
    for (const f of [first, usage, live]) expect(f.id).toMatch(/^[a-z0-9]+-\d+$/);
  });

  it('sends a comment heartbeat', async () => {
    const c = await stream(t.viewer);
    await c.next((f) => f.comment === 'heartbeat', 2000);
  });

  it('replays what was missed after a reconnect with Last-Event-ID', async () => {
    const c1 = await stream(t.viewer);
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ id: 'evt_seen_0001' })] });
    const seen = await c1.next((f) => f.event === 'usage');
    c1.close();
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ id: 'evt_missed_01' })] });
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ id: 'evt_missed_02' })] });
    const c2 = await stream(t.viewer, { 'last-event-id': seen.id! });
    await c2.next((f) => f.event === 'balance');
    const replayed = c2.frames.filter((f) => f.event === 'usage').map((f) => JSON.parse(f.data!).events[0].id);
    expect(replayed).toEqual(['evt_missed_01', 'evt_missed_02']);
  });

  it('an id from before a restart replays nothing but still gets the current balance', async () => {
    const c = await stream(t.viewer, { 'last-event-id': 'oldboot-5' });
    await c.next((f) => f.event === 'balance');
    expect(c.frames.filter((f) => f.event === 'usage')).toHaveLength(0);
  });

  it('takes the token from ?token= (EventSource cannot set headers) and isolates workspaces', async () => {
    const other = await seedWorkspace(s, 'Other');
    const c = await stream(t.viewer, {}, true);
    expect(c.status).toBe(200);
    await api(s, other.owner, 'POST', `/api/v1/workspaces/${other.owner.wsId}/events`, { events: [usageEvent({ id: 'evt_other_001' })] });
    await api(s, t.owner, 'POST', `${base}/events`, { events: [usageEvent({ id: 'evt_mine_0001' })] });
    await c.next((f) => f.event === 'usage');
    expect(c.frames.filter((f) => f.event === 'usage').map((f) => JSON.parse(f.data!).events[0].id)).toEqual(['evt_mine_0001']);
    const foreign = await openSse(`${s.url}/api/v1/workspaces/${other.owner.wsId}/stream?token=${t.viewer.token}`);
    expect(foreign.status).toBe(404);
    foreign.close();
    const anon = await openSse(`${s.url}${base}/stream`);
    expect(anon.status).toBe(401);
    anon.close();
  });
});
