// The pattern pack over real HTTP: the default until a lead installs a newer one; bad packs refused.
import { afterEach, describe, expect, it } from 'vitest';
import { api, seedWorkspace, startTestServer, type TestServer } from '../support/server';
import { DEFAULT_PACK } from '../../shared/readers';

let s: TestServer;
afterEach(() => s?.close());

describe('pattern pack', () => {
  it('serves the default, installs a newer version, refuses older or broken ones, resets', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const path = `/api/v1/workspaces/${t.owner.wsId}/pattern-pack`;
    expect((await api(s, t.viewer, 'GET', path)).json).toEqual(DEFAULT_PACK);
    const v2 = { ...DEFAULT_PACK, version: 2, text: [{ id: 'balance-widget', page: 'editor', selector: '.balance-widget', patterns: ['(?<remaining>\\d+) (?<pool>\\p{L}+) credits'] }] };
    expect((await api(s, t.lead, 'PUT', path, v2)).status).toBe(200);
    expect((await api(s, t.collaborator, 'GET', path)).json.version).toBe(2);
    const older = await api(s, t.lead, 'PUT', path, { ...v2, version: 2 });
    expect(older.status).toBe(400);
    expect(older.json.errors[0].path).toBe('body.version');
    const broken = await api(s, t.lead, 'PUT', path, { ...v2, version: 3, text: [{ ...v2.text[0], patterns: ['(unclosed'] }] });
    expect(broken.status).toBe(400);
    expect(broken.json.errors.map((e: { path: string }) => e.path)).toContain('body.text.0.patterns.0');
    expect((await api(s, t.lead, 'PUT', path, { ...v2, version: 3, extra: 1 })).status).toBe(400);
    expect((await api(s, t.lead, 'DELETE', path)).status).toBe(204);
    expect((await api(s, t.viewer, 'GET', path)).json.version).toBe(DEFAULT_PACK.version);
  });

  it('a lead’s pack survives a restart', async () => {
    s = await startTestServer();
    const t = await seedWorkspace(s);
    const path = `/api/v1/workspaces/${t.owner.wsId}/pattern-pack`;
    await api(s, t.lead, 'PUT', path, { ...DEFAULT_PACK, version: 7 });
    const dir = s.dir;
    await s.close({ keepDir: true });
    s = await startTestServer({ dir });
    expect((await api(s, t.viewer, 'GET', path)).json.version).toBe(7);
  });
});
