// CORS: the extension's service worker (a chrome-extension:// origin) calls the API cross-origin with a
// bearer token; preflights must pass, and CORS must not let a request without a token through.
import { afterEach, describe, expect, it } from 'vitest';
import { seedWorkspace, startTestServer, type TestServer } from '../support/server';

let s: TestServer;
afterEach(() => s?.close());

const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

describe('CORS', () => {
  it('answers a preflight for an authorised JSON POST', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const r = await fetch(`${s.url}/api/v1/workspaces/${team.owner.wsId}/events`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(r.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(r.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('labels replies to extension origins only, including errors, and still demands the token', async () => {
    s = await startTestServer();
    const team = await seedWorkspace(s);
    const ok = await fetch(`${s.url}/api/v1/me`, { headers: { Origin: ORIGIN, Authorization: `Bearer ${team.owner.token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const anon = await fetch(`${s.url}/api/v1/me`, { headers: { Origin: ORIGIN } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const web = await fetch(`${s.url}/api/v1/pair`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(web.headers.get('access-control-allow-origin')).toBeNull();
    const firefox = await fetch(`${s.url}/healthz`, { headers: { Origin: 'moz-extension://4b1c2d3e-aaaa-bbbb-cccc-0123456789ab' } });
    expect(firefox.headers.get('access-control-allow-origin')).toBe('moz-extension://4b1c2d3e-aaaa-bbbb-cccc-0123456789ab');
    const noOrigin = await fetch(`${s.url}/healthz`);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });
});
