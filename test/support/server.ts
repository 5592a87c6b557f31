// Test support: the real app on a real port (listen(0)) over a real store in a temp dir, or the real server
// as a child process (for kill -9 and the bench). Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app';
import { createLogger, type Logger } from '../../server/log';
import type { MonitoringOptions } from '../../server/monitoring/poller';
import { Store } from '../../server/store/store';
import { createWorkspace } from '../../server/domain/workspaces';
import { createInvite } from '../../server/domain/pairing';
import type { Role } from '../../shared/schemas/common';
import type { Send } from '../../server/alerts/queue';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const tempDir = (prefix = 'cw-test-') => mkdtempSync(join(tmpdir(), prefix));

export interface TestServer {
  url: string;
  dir: string;
  store: Store;
  built: ReturnType<typeof createApp>;
  clock: { now: number };
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export async function startTestServer(opts: { dir?: string; now?: number; rateLimitPerMinute?: number; failedPairsPerMinute?: number; send?: Send; retrySchedule?: number[]; heartbeatMs?: number; balanceDelayMs?: number; log?: Logger; monitoring?: MonitoringOptions } = {}): Promise<TestServer> {
  const dir = opts.dir ?? tempDir();
  const clock = { now: opts.now ?? Date.parse('2026-11-10T12:00:00.000Z') };
  const now = () => clock.now;
  const store = await Store.open({ dir, fsync: false, retentionDays: 400, now });
  const built = createApp({
    store, log: opts.log ?? createLogger('silent'), now, rateLimitPerMinute: opts.rateLimitPerMinute ?? 100_000, failedPairsPerMinute: opts.failedPairsPerMinute ?? 100_000,
    heartbeatMs: opts.heartbeatMs ?? 20_000, balanceDelayMs: opts.balanceDelayMs ?? 10, send: opts.send, retrySchedule: opts.retrySchedule,
    monitoring: opts.monitoring,
  });
  built.queue.start();
  const server: Server = built.app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, dir, store, built, clock,
    async close({ keepDir = false } = {}) {
      server.closeAllConnections();
      await built.close();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  token: string;
  wsId: string;
  memberId: string;
  role: Role;
}

/** A workspace with one paired member per role, created through the real routes where it matters. */
export async function seedWorkspace(s: TestServer, name = 'Team'): Promise<Record<Role, Session>> {
  const { workspace, invite } = await createWorkspace(s.built.deps, name);
  const owner = await pairWith(s, invite!.code);
  const out = { owner } as Record<Role, Session>;
  for (const role of ['lead', 'collaborator', 'viewer'] as const) {
    const { code } = await createInvite(s.built.deps, workspace.id, { role, name: `${role} person` });
    out[role] = await pairWith(s, code);
  }
  return out;
}

export async function pairWith(s: TestServer, code: string): Promise<Session> {
  const r = await fetch(`${s.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  if (r.status !== 200) throw new Error(`pair failed: ${r.status} ${await r.text()}`);
  const j = (await r.json()) as { token: string; workspace: { id: string }; member: { id: string; role: Role } };
  return { token: j.token, wsId: j.workspace.id, memberId: j.member.id, role: j.member.role };
}

export async function api(s: TestServer, session: Session | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(session ? { authorization: `Bearer ${session.token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json, text, headers: res.headers };
}

let seq = 0;
export function usageEvent(over: Record<string, unknown> = {}) {
  seq++;
  return {
    id: `evt_${Date.now().toString(36)}_${seq.toString().padStart(6, '0')}`,
    at: '2026-11-10T12:00:00.000Z',
    kind: 'integration',
    credits: 1,
    exact: false,
    action: 'Core.InvokeLLM',
    appId: '698fc81203f85a20f281d9dc',
    context: 'preview',
    outcome: 'ok',
    ...over,
  };
}

/** The real server (server/main.ts) as a child process; resolves once it prints its listening line. */
export async function spawnServer(dir: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, CREDITWATCH_DATA_DIR: dir, CREDITWATCH_PORT: '0', CREDITWATCH_HOST: '127.0.0.1', CREDITWATCH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      // The listening line comes first; the next-steps block ends with "Stop: Ctrl+C".
      const m = /creditwatch listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Stop: Ctrl+C')) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { url, child, output: () => out };
}
