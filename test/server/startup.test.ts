// The real server process (server/main.ts): first start prints the listening line and an owner pairing code
// that works; a restart keeps the data; bad configuration stops it with a message; SIGTERM exits 0.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot, spawnServer, tempDir } from '../support/server';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

describe('server start-up', () => {
  it('prints where it listens and a working owner code once; restarts keep the workspace', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await spawnServer(dir);
    children.push(first.child);
    expect(first.output()).toMatch(/^creditwatch listening on http:\/\/127\.0\.0\.1:\d+$/m);
    const code = /owner code ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(first.output())?.[1];
    expect(code).toBeDefined();
    // The one-click pairing link for the unpacked extension (its id is pinned by the manifest key).
    expect(first.output()).toContain(`chrome-extension://hnbkbimaeccfeeljbljgakpfmgjfdejg/options.html?server=${encodeURIComponent(first.url)}&code=${code}`);
    const pair = await fetch(`${first.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'test' }) });
    expect(pair.status).toBe(200);
    const { token, workspace } = (await pair.json()) as { token: string; workspace: { id: string } };
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);

    const second = await spawnServer(dir);
    children.push(second.child);
    expect(second.output()).not.toMatch(/owner code/);
    const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { workspace: { id: string } }).workspace.id).toBe(workspace.id);
    second.child.kill('SIGINT');
    expect(await exited(second.child)).toBe(0);
  });

  it('CREDITWATCH_OWNER_TOKEN makes the first owner hold exactly that token', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const s = await spawnServer(dir, { CREDITWATCH_OWNER_TOKEN: 'automation-token-0123456789' });
    children.push(s.child);
    expect(s.output()).not.toMatch(/owner code/);
    const me = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: 'Bearer automation-token-0123456789' } });
    expect(((await me.json()) as { member: { role: string } }).member.role).toBe('owner');
  });

  it.each([
    ['CREDITWATCH_PORT', 'eighty', /CREDITWATCH_PORT: must be a whole number/],
    ['CREDITWATCH_FSYNC', 'maybe', /CREDITWATCH_FSYNC/],
    ['CREDITWATCH_OWNER_TOKEN', 'short', /CREDITWATCH_OWNER_TOKEN: must be 16–200/],
  ])('refuses %s=%s with a message naming it', async (name, value, message) => {
    const dir = tempDir();
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repoRoot, env: { ...process.env, CREDITWATCH_DATA_DIR: dir, CREDITWATCH_PORT: '0', [name]: value }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    expect(await exited(child)).toBe(78);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\s+at /);
  });
});

describe('one server per data directory', () => {
  it('a second server on the same folder stops with a message; a lock left by a killed server is taken over', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await spawnServer(dir);
    children.push(first.child);
    await expect(spawnServer(dir)).rejects.toThrow(/in use by another Creditwatch server \(pid \d+\)/);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = await spawnServer(dir);
    children.push(second.child);
    expect(second.url).toMatch(/^http:/);
  });
});
