// Alert latency: from the ingest of a threshold-crossing event to the SSE `alert` frame at each of N
// connected stream clients, and to a webhook receiver — the real server as a child process, loopback only.
// Each sample re-arms a remaining_below rule with a manual reading, then ingests the crossing event. Samples are
// 50 ms apart: each measures a crossing on a quiet server (threshold crossings are rare events; back to back,
// 50 a second, they would measure the server's alert-evaluation CPU budget instead).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { spawnServer, tempDir } from '../support/server';

export interface AlertBenchResult {
  clients: number;
  samples: number;
  sseP50: number;
  sseP99: number;
  webhookP50: number;
  webhookP99: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : NaN;
};

export async function benchAlerts(opts: { clients: number; samples: number; log: (m: string) => void }): Promise<AlertBenchResult> {
  const token = `bench_alerts_${Date.now()}_0123456789`;
  const dir = tempDir('cw-bench-alerts-');
  const server = await spawnServer(dir, { CREDITWATCH_OWNER_TOKEN: token, CREDITWATCH_RATE_LIMIT: '10000000', CREDITWATCH_RETRY_SCHEDULE: '0,0.2,0.5', ...(process.env.BENCH_DEBUG ? { CREDITWATCH_LOG_LEVEL: 'debug' } : {}) });
  if (process.env.BENCH_DEBUG) server.child.stderr!.on('data', (d) => process.stderr.write(d));
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients + 10 });
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  // The webhook receiver records when each alert arrives.
  const webhookAt = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const now = performance.now();
      try {
        const p = JSON.parse(body) as { type: string; data?: { alert?: { id: string } } };
        if (p.type === 'alert.fired' && p.data?.alert) webhookAt.set(p.data.alert.id, now);
      } catch { /* ignore */ }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const sseAt = new Map<string, number[]>();
  const sockets: http.ClientRequest[] = [];
  try {
    const me = await call('GET', '/api/v1/me');
    const ws = `/api/v1/workspaces/${me.workspace.id}`;
    // A quiet workspace: no default rules, a big custom plan, one rule under test, one webhook channel.
    for (const r of (await call('GET', `${ws}/rules`)).rules) await call('DELETE', `${ws}/rules/${r.id}`);
    await call('PATCH', ws, { plan: 'custom', limits: { message: 1000, integration: 1_000_000 }, cycleAnchor: '2026-01-01T00:00:00Z' });
    await call('POST', `${ws}/rules`, { name: 'Below 500', scope: { type: 'pool', kind: 'integration', holder: 'workspace' }, conditions: [{ type: 'remaining_below', thresholds: [500] }] });
    await call('POST', `${ws}/channels`, { type: 'webhook', name: 'bench', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
    // One device per stream client (a token may hold only a few streams), paired like the extension pairs.
    const tokens: string[] = [];
    for (let i = 0; i < opts.clients; i++) {
      const { code } = await call('POST', `${ws}/invites`, { role: 'owner', memberId: me.member.id });
      const r = await fetch(`${server.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: `bench ${i}` }) });
      tokens.push(((await r.json()) as { token: string }).token);
    }
    let resolvedSeen = 0;
    await Promise.all(tokens.map((deviceToken) => new Promise<void>((resolveOpen, reject) => {
      const req = http.get(`${server.url}${ws}/stream?token=${deviceToken}`, { agent }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // Stamped on arrival, before any parsing: the client's own work is not the server's latency.
          const now = performance.now();
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (frame.includes('event: alert\n')) {
              const id = /"id":"(al_[a-z0-9]+)"/.exec(frame)?.[1];
              if (id) (sseAt.get(id) ?? sseAt.set(id, []).get(id)!).push(now);
            } else if (frame.includes('event: alert.resolved')) resolvedSeen++;
          }
        });
        resolveOpen();
      });
      req.on('error', reject);
      sockets.push(req);
    })));
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = new Map<string, number>();
    const at = () => new Date().toISOString();
    for (let i = 0; i < opts.samples; i++) {
      await new Promise((r) => setTimeout(r, 50));
      // Re-arm: Base44 "shows" 1,000 left, then an event of 600 crosses the 500 threshold.
      const before = resolvedSeen;
      await call('POST', `${ws}/readings`, { pool: 'integration', remaining: 1000, at: at(), source: 'manual' });
      if (i > 0) for (let t = 0; resolvedSeen < before + opts.clients && t < 200; t++) await new Promise((r) => setTimeout(r, 5));
      const t0 = performance.now();
      await call('POST', `${ws}/events`, { events: [{ id: `evt_bench_${i}_${Date.now()}`, at: at(), kind: 'integration', credits: 600, exact: true, action: 'Core.InvokeLLM', context: 'preview', outcome: 'ok' }] });
      // Which alert did this sample fire? The newest one.
      for (let t = 0; t < 400; t++) {
        const ids = [...sseAt.keys()].filter((id) => !sentAt.has(id));
        if (ids.length && sseAt.get(ids[0])!.length >= opts.clients) {
          sentAt.set(ids[0], t0);
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    for (let t = 0; t < 200 && [...sentAt.keys()].some((id) => !webhookAt.has(id)); t++) await new Promise((r) => setTimeout(r, 10));
    const sse: number[] = [];
    const hook: number[] = [];
    for (const [id, t0] of sentAt) {
      for (const t of sseAt.get(id) ?? []) sse.push(t - t0);
      const w = webhookAt.get(id);
      if (w !== undefined) hook.push(w - t0);
    }
    opts.log(`  alerts: ${sentAt.size} samples × ${opts.clients} stream clients, ${hook.length} webhook deliveries`);
    if (process.env.BENCH_DEBUG) {
      for (const [id, t0] of sentAt) {
        const ts = (sseAt.get(id) ?? []).map((t) => t - t0).sort((a, b) => a - b);
        opts.log(`    sample: first ${ts[0]?.toFixed(1)} ms, median ${ts[ts.length >> 1]?.toFixed(1)}, last ${ts.at(-1)?.toFixed(1)}`);
      }
    }
    return { clients: opts.clients, samples: sentAt.size, sseP50: pct(sse, 50), sseP99: pct(sse, 99), webhookP50: pct(hook, 50), webhookP99: pct(hook, 99) };
  } finally {
    for (const s of sockets) s.destroy();
    agent.destroy();
    receiver.close();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
