// Crash safety of ingest: the real server (server/main.ts) as a child process under concurrent ingest load,
// killed with SIGKILL at random moments and restarted on the same data directory. Every event whose POST was
// answered 200 must be there after each restart, exactly once, and counted once by the usage breakdown.
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnServer, tempDir } from '../support/server';

const TOKEN = 'crash_test_owner_token_0123456789';
const KILLS = 5;
const LOOPS = 4;
const PACE_MS = 15;
const auth = { authorization: `Bearer ${TOKEN}` };

type Event = ReturnType<typeof makeEvent>;
type Batch = Event[];

let serial = 0;
const runTag = Date.now().toString(36);
function makeEvent() {
  serial++;
  const kinds = ['message', 'integration'] as const;
  return {
    id: `crash_${runTag}_${serial.toString().padStart(7, '0')}`,
    // Recent (inside retention, not in the future) and spread over the last hour.
    at: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
    kind: kinds[serial % 2],
    credits: (serial % 7) / 10,
    exact: serial % 3 === 0,
    action: 'Core.InvokeLLM',
    appId: `app_${serial % 3}`,
    context: 'preview' as const,
    outcome: 'ok' as const,
  };
}
const makeBatch = (): Batch => Array.from({ length: 1 + Math.floor(Math.random() * 50) }, makeEvent);

interface Running {
  url: string;
  child: ChildProcess;
  output: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<any> {
  const r = await fetch(url, { headers: auth });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${url} → ${r.status} ${text}`);
  return JSON.parse(text);
}

/** Every stored event id, newest first, following nextCursor. */
async function listAllIds(url: string, wsId: string): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let total = -1;
  for (let page = 0; page < 10_000; page++) {
    const q = new URLSearchParams({ limit: '1000' });
    if (cursor) q.set('cursor', cursor);
    const j = await getJson(`${url}/api/v1/workspaces/${wsId}/events?${q}`);
    if (total < 0) total = j.total;
    else expect(j.total).toBe(total);
    for (const e of j.events) ids.push(e.id);
    cursor = j.nextCursor;
    if (!cursor) break;
  }
  return { ids, total };
}

/** What the store reported at start-up (CREDITWATCH_LOG_LEVEL=info prints it). */
function loadReport(output: string): { events: number; corruptLines: number; tornBytes: number } {
  const m = /store loaded (\{.*\})/.exec(output);
  if (!m) throw new Error(`no "store loaded" line in:\n${output}`);
  return JSON.parse(m[1]);
}

describe('crash safety (kill -9 under ingest load)', () => {
  const dir = tempDir('cw-crash-');
  const children: ChildProcess[] = [];
  afterAll(() => {
    // A failed assertion must not leave a server running.
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event exactly once across repeated SIGKILLs', { timeout: 120_000 }, async () => {
    const start = async (): Promise<Running> => {
      // info level: the "store loaded" line reports corrupt lines and torn bytes.
      const s = await spawnServer(dir, { CREDITWATCH_OWNER_TOKEN: TOKEN, CREDITWATCH_RATE_LIMIT: '10000000', CREDITWATCH_LOG_LEVEL: 'info' });
      children.push(s.child);
      return s;
    };

    const acked = new Set<string>();
    const sent = new Set<string>(); // every id ever sent: nothing else may show up
    const ackedBatches: Batch[] = [];
    const unsettled: Batch[] = []; // sent, no reply (the server died): re-sent after the restart
    const failures: string[] = [];
    let resends = 0;
    let stopping = false; // SIGTERM sent: replies other than 200 are allowed (nothing unacknowledged is owed)
    const duringStop: Record<string, number> = {};
    let kills = 0;

    let current: Running = await start();
    const me = await getJson(`${current.url}/api/v1/me`);
    const wsId: string = me.workspace.id;
    expect(wsId).toBeTruthy();

    let up = true; // loops only send while a server is up
    let stopLoad = false;

    async function post(url: string, batch: Batch): Promise<{ status: number; json: any } | null> {
      try {
        const r = await fetch(`${url}/api/v1/workspaces/${wsId}/events`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch }),
        });
        const text = await r.text();
        return { status: r.status, json: text ? JSON.parse(text) : undefined };
      } catch {
        return null; // connection refused/reset: the server was killed
      }
    }

    async function loop(n: number): Promise<void> {
      while (!stopLoad) {
        if (!up) {
          await sleep(20);
          continue;
        }
        // Paced so that the store stays at tens of thousands of events: listing them all after every restart
        // is what costs time here, not the ingest.
        await sleep(PACE_MS);
        const url = current.url;
        let batch: Batch;
        let kind: 'fresh' | 'acked' | 'unsettled';
        if (unsettled.length && Math.random() < 0.5) {
          batch = unsettled.shift()!;
          kind = 'unsettled';
        } else if (ackedBatches.length && Math.random() < 0.15) {
          batch = ackedBatches[Math.floor(Math.random() * ackedBatches.length)];
          kind = 'acked';
        } else {
          batch = makeBatch();
          kind = 'fresh';
        }
        for (const e of batch) sent.add(e.id);
        const r = await post(url, batch);
        if (!r) {
          if (kind !== 'acked') unsettled.push(batch);
          continue;
        }
        if (r.status !== 200 && stopping) {
          duringStop[r.status] = (duringStop[r.status] ?? 0) + 1;
          if (kind !== 'acked') unsettled.push(batch);
          continue;
        }
        if (r.status !== 200) {
          failures.push(`loop ${n}: ${r.status} ${JSON.stringify(r.json)}`);
          continue;
        }
        const { accepted, duplicates } = r.json;
        if (accepted + duplicates !== batch.length) failures.push(`loop ${n}: ${accepted}+${duplicates} for ${batch.length} events`);
        // A fresh batch is all new; an acknowledged one sent again is all duplicates.
        if (kind === 'fresh' && accepted !== batch.length) failures.push(`loop ${n}: fresh batch of ${batch.length}: accepted ${accepted}`);
        if (kind === 'acked') {
          resends++;
          if (duplicates !== batch.length) failures.push(`loop ${n}: re-sent acknowledged batch of ${batch.length}: duplicates ${duplicates}`);
        }
        for (const e of batch) acked.add(e.id);
        if (kind !== 'acked') ackedBatches.push(batch);
      }
    }

    async function verify(s: Running, freshStart: boolean): Promise<number> {
      const out = s.output();
      const report = loadReport(out);
      expect(report.corruptLines, out).toBe(0);
      // A torn tail (tornBytes > 0) is expected after kill -9; unreadable lines or other corruption are not.
      expect(out).not.toMatch(/unreadable/i);
      expect(out.replace(/"corruptLines":0/g, '')).not.toMatch(/corrupt/i);
      expect(out).not.toMatch(/ error /);

      const { ids, total } = await listAllIds(s.url, wsId);
      const distinct = new Set(ids);
      expect(distinct.size, 'no event is listed twice').toBe(ids.length);
      expect(total).toBe(ids.length);
      const missing = [...acked].filter((id) => !distinct.has(id));
      expect(missing.length, `acknowledged but missing: ${missing.slice(0, 5).join(', ')}`).toBe(0);
      const phantom = ids.filter((id) => !sent.has(id));
      expect(phantom, 'ids nobody sent').toEqual([]);
      // Stored before the kill but never acknowledged is fine (it was sent). Right after a start nothing new
      // has arrived, so what the store loaded is exactly what it lists.
      if (freshStart) expect(report.events).toBe(ids.length);

      const usage = await getJson(`${s.url}/api/v1/workspaces/${wsId}/usage?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`);
      expect(usage.total.calls).toBe(ids.length);
      return ids.length;
    }

    const loops = Array.from({ length: LOOPS }, (_, i) => loop(i));
    const history: string[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        // Load for a random while, then kill without warning.
        await sleep(400 + Math.floor(Math.random() * 1600));
        up = false;
        current.child.kill('SIGKILL');
        await new Promise((r) => (current.child.exitCode !== null || current.child.signalCode ? r(null) : current.child.once('exit', r)));
        kills++;
        const ackedAtKill = acked.size;
        // A kill rarely lands inside a write, so once simulate one: half a record at the journal's end, never
        // acknowledged. The store must cut it off and start cleanly.
        const simulatedTear = k === 1;
        if (simulatedTear) appendFileSync(join(dir, 'journal.ndjson'), `{"seq":999999999,"r":{"op":"events","wsId":"${wsId}","events":[{"id":"torn_write_`);

        current = await start();
        const t0 = Date.now();
        const stored = await verify(current, true);
        if (simulatedTear) expect(loadReport(current.output()).tornBytes).toBeGreaterThan(0);
        history.push(`kill ${kills}: acked ${ackedAtKill}, stored ${stored}, torn ${loadReport(current.output()).tornBytes}B, verified in ${Date.now() - t0} ms`);
        up = true;
      }
      // One last stretch of load, then a graceful stop in the middle of it: SIGTERM must flush everything
      // acknowledged and exit 0.
      await sleep(500);
      stopping = true;
      const exited = new Promise<number | null>((r) => current.child.once('exit', (code) => r(code)));
      current.child.kill('SIGTERM');
      expect(await exited, current.output().slice(-2000)).toBe(0);
      up = false;
    } finally {
      stopLoad = true;
      await Promise.all(loops);
    }
    expect(failures).toEqual([]);

    // After the clean stop everything acknowledged is there, and nothing was torn.
    current = await start();
    expect(loadReport(current.output()).tornBytes).toBe(0);
    const final = await verify(current, true);
    const exited = new Promise<number | null>((r) => current.child.once('exit', (code) => r(code)));
    current.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    console.log(`crash test: ${kills} kills, ${acked.size} acknowledged events, ${resends} acknowledged batches re-sent, ${final} stored; ` +
      `replies other than 200 after SIGTERM: ${JSON.stringify(duringStop)}\n  ${history.join('\n  ')}`);
    expect(kills).toBeGreaterThanOrEqual(4);
    expect(acked.size).toBeGreaterThan(0);
  });
});
