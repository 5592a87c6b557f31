import { afterEach, describe, expect, it } from 'vitest';
import { api, pairWith, seedWorkspace, startTestServer, type TestServer } from '../support/server';
import { createWorkspace } from '../../server/domain/workspaces';

let s: TestServer;
afterEach(() => s?.close());

describe('pairing', () => {
  it('a code pairs exactly once, case- and dash-insensitively, and names the member', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const inv = await api(s, team.lead, 'POST', `/api/v1/workspaces/${team.lead.wsId}/invites`, { role: 'collaborator', name: 'Dana', email: 'dana@example.com' });
    expect(inv.status).toBe(201);
    expect(inv.json.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(Date.parse(inv.json.expiresAt) - s.clock.now).toBe(24 * 3600_000);
    const typed = inv.json.code.toLowerCase().replace('-', ' ');
    const first = await api(s, null, 'POST', '/api/v1/pair', { code: typed, deviceName: 'laptop' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ workspace: { id: team.lead.wsId }, member: { name: 'Dana', role: 'collaborator' } });
    expect(first.json.token).toMatch(/^cw_/);
    const again = await api(s, null, 'POST', '/api/v1/pair', { code: inv.json.code });
    expect(again.status).toBe(404);
    expect(again.json.detail).toMatch(/unknown, used or expired/);
    const me = await api(s, { ...team.lead, token: first.json.token }, 'GET', '/api/v1/me');
    expect(me.json.member).toMatchObject({ name: 'Dana', role: 'collaborator' });
  });

  it('an expired code does not pair', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const inv = await api(s, team.owner, 'POST', `/api/v1/workspaces/${team.owner.wsId}/invites`, { role: 'viewer', ttlMinutes: 5 });
    s.clock.now += 5 * 60_000;
    expect((await api(s, null, 'POST', '/api/v1/pair', { code: inv.json.code })).status).toBe(404);
  });

  it('tokens and codes are stored only as hashes', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const inv = await api(s, team.owner, 'POST', `/api/v1/workspaces/${team.owner.wsId}/invites`, { role: 'viewer' });
    await s.store.barrier();
    await s.close({ keepDir: true });
    const { readFileSync } = await import('node:fs');
    const files = ['journal.ndjson'].map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('');
    for (const secret of [team.owner.token, team.viewer.token, inv.json.code, inv.json.code.replace('-', '')]) expect(files).not.toContain(secret);
    s = await startTestServer({ dir: s.dir });
    expect((await api(s, team.owner, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('a second device for the same member; anyone may add their own device but not invite others', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const own = await api(s, team.viewer, 'POST', `/api/v1/workspaces/${team.viewer.wsId}/invites`, { role: 'viewer', memberId: team.viewer.memberId });
    expect(own.status).toBe(201);
    const second = await pairWith(s, own.json.code);
    expect(second.memberId).toBe(team.viewer.memberId);
    const members = await api(s, team.owner, 'GET', `/api/v1/workspaces/${team.owner.wsId}/members`);
    expect(members.json.members.find((m: { id: string }) => m.id === team.viewer.memberId).devices).toBe(2);
    expect((await api(s, team.viewer, 'POST', `/api/v1/workspaces/${team.viewer.wsId}/invites`, { role: 'viewer' })).status).toBe(403);
    expect((await api(s, team.lead, 'POST', `/api/v1/workspaces/${team.lead.wsId}/invites`, { role: 'owner' })).status).toBe(403);
  });

  it('failed attempts are throttled per address; successful ones are not', async () => {
    s = await startTestServer({ failedPairsPerMinute: 20 });
    const codes: string[] = [];
    const { workspace, invite } = await createWorkspace(s.built.deps, 'T');
    codes.push(invite!.code);
    for (let i = 0; i < 10; i++) expect((await api(s, null, 'POST', '/api/v1/pair', { code: `BAD0-00${i}0` })).status).toBe(404);
    const blocked = await api(s, null, 'POST', '/api/v1/pair', { code: codes[0] });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    s.clock.now += 60_000;
    expect((await api(s, null, 'POST', '/api/v1/pair', { code: codes[0] })).json.workspace.id).toBe(workspace.id);
  });

  it('the last owner cannot be demoted or removed; roles never rise above the caller', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}/members`;
    expect((await api(s, t.owner, 'PATCH', `${base}/${t.owner.memberId}`, { role: 'lead' })).status).toBe(409);
    expect((await api(s, t.owner, 'DELETE', `${base}/${t.owner.memberId}`)).status).toBe(409);
    expect((await api(s, t.lead, 'PATCH', `${base}/${t.viewer.memberId}`, { role: 'owner' })).status).toBe(403);
    expect((await api(s, t.lead, 'PATCH', `${base}/${t.owner.memberId}`, { name: 'x' })).status).toBe(403);
    expect((await api(s, t.lead, 'PATCH', `${base}/${t.viewer.memberId}`, { role: 'collaborator' })).json.role).toBe('collaborator');
    expect((await api(s, t.viewer, 'PATCH', `${base}/${t.viewer.memberId}`, { name: 'Me' })).json.name).toBe('Me');
    expect((await api(s, t.owner, 'DELETE', `${base}/${t.lead.memberId}`)).status).toBe(204);
    expect((await api(s, t.lead, 'GET', '/api/v1/me')).status).toBe(401);
  });
});

describe('revocation reaches everything', () => {
  it('a removed member cannot come back through a code they made, and their open stream ends', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}`;
    const own = await api(s, t.collaborator, 'POST', `${base}/invites`, { role: 'collaborator', memberId: t.collaborator.memberId, ttlMinutes: 43200 });
    const { openSse } = await import('../support/sse');
    const stream = await openSse(`${s.url}${base}/stream?token=${t.collaborator.token}`);
    await stream.next((f) => f.event === 'balance');
    expect((await api(s, t.owner, 'DELETE', `${base}/members/${t.collaborator.memberId}`)).status).toBe(204);
    expect((await api(s, null, 'POST', '/api/v1/pair', { code: own.json.code })).status).toBe(404);
    await api(s, t.owner, 'POST', `${base}/events`, { events: [(await import('../support/server')).usageEvent()] });
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.frames.filter((f) => f.event === 'usage')).toHaveLength(0);
    stream.close();
  });

  it('unpairing a device ends its stream', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}`;
    const { openSse } = await import('../support/sse');
    const stream = await openSse(`${s.url}${base}/stream?token=${t.viewer.token}`);
    await stream.next((f) => f.event === 'balance');
    await api(s, t.viewer, 'DELETE', '/api/v1/me/token');
    await api(s, t.owner, 'POST', `${base}/events`, { events: [(await import('../support/server')).usageEvent()] });
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.frames.filter((f) => f.event === 'usage')).toHaveLength(0);
    stream.close();
  });

  it.each(['__proto__', 'constructor', 'toString'])('refuses %s as an app or member id', async (id) => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const base = `/api/v1/workspaces/${t.owner.wsId}`;
    expect((await api(s, t.owner, 'PUT', `${base}/apps/${id}`, { name: 'x' })).status).toBe(400);
    expect((await api(s, t.owner, 'PATCH', `${base}/members/${id}`, { name: 'x' })).status).toBe(400);
    const ev = (await import('../support/server')).usageEvent;
    expect((await api(s, t.owner, 'POST', `${base}/events`, { events: [ev({ appId: id })] })).status).toBe(400);
    expect((await api(s, t.owner, 'POST', `${base}/events`, { events: [ev({ memberId: id })] })).status).toBe(400);
    expect(Object.getPrototypeOf(s.store.state.workspaces[t.owner.wsId].apps)).toBe(Object.prototype);
  });
});
