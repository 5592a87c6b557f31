// Ingest benchmark: the real server's POST /events (fsync on, the default) against an Express 5 no-op JSON
// route (test/bench/noop-server.ts) on the same machine, side by side and interleaved, so the ratio says what
// Creditwatch's own work costs over "parse JSON and answer". Loopback only.
//
//   npm run bench                       3 rounds × (1 s warm-up + 5 s) per server and body shape
//   npm run bench -- --seconds 3 --rounds 3 --connections 50
//   npm run -s bench -- --json          one JSON object on stdout (-s keeps npm's banner off stdout)
//   npm run bench -- --profile DIR      also write a V8 CPU profile of the real server into DIR
//   npm run bench -- --keep-server      one real server for all rounds (its store grows by ~0.5M events/round)
//
// Each round starts a fresh real server by default: the bench itself adds hundreds of thousands of events a
// round, and a store that large (far more than a team's year) slows everything through GC, which would make
// the later rounds measure heap size rather than the ingest path.
//
// Every request carries fresh event ids (a repeated id would be a cheap duplicate, not an ingest). Afterwards
// the server must hold every acknowledged event and no more than were sent, with no non-2xx replies.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot, spawnServer, tempDir } from '../support/server';
import { benchPageHook } from './page-hook';
import { benchAlerts } from './alerts';

interface Options {
  seconds: number;
  warmup: number;
  rounds: number;
  connections: number;
  json: boolean;
  keepServer: boolean;
  profile?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 5, warmup: 1, rounds: 3, connections: 50, json: false, keepServer: false };
  const num = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} needs a number >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--json': o.json = true; break;
      case '--keep-server': o.keepServer = true; break;
      case '--seconds': o.seconds = num('seconds', value(), 0.5); break;
      case '--warmup': o.warmup = num('warmup', value(), 0); break;
      case '--rounds': o.rounds = Math.round(num('rounds', value(), 1)); break;
      case '--connections': o.connections = Math.round(num('connections', value(), 1)); break;
      case '--profile': o.profile = resolve(value() ?? 'bench-profile'); break;
      case '--help': case '-h':
        process.stdout.write('usage: npm run bench -- [--seconds 5] [--warmup 1] [--rounds 3] [--connections 50] [--json] [--keep-server] [--profile DIR]\n');
        process.exit(0);
      default: throw new Error(`unknown argument ${a} (try --help)`);
    }
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (msg: string) => process.stderr.write(`${msg}\n`);

// ---- bodies: fresh ids on every request, the same shape for both servers -------------------------------

const runTag = Date.now().toString(36);
const at = new Date(Date.now() - 60_000).toISOString();
let generated = 0;
function eventJson(): string {
  generated++;
  return `{"id":"b${runTag}_${generated.toString(36)}","at":"${at}","kind":"integration","credits":1,"exact":false,` +
    `"action":"Core.InvokeLLM","appId":"app_bench","context":"preview","outcome":"ok"}`;
}
function body(n: number): string {
  let s = '{"events":[';
  for (let i = 0; i < n; i++) s += (i ? ',' : '') + eventJson();
  return s + ']}';
}

// ---- servers --------------------------------------------------------------------------------------------

async function spawnNoop(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/noop-server.ts'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no-op server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /noop listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`no-op server exited with ${code}:\n${out}`)));
  });
  return { url, child };
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(t);
  return code;
}

/** A data: URL module that CPU-profiles the process it is loaded into, written to DIR on exit. */
function profilerPreload(dir: string): string {
  const code = `import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const s = new Session();
s.connect();
s.post('Profiler.enable');
s.post('Profiler.setSamplingInterval', { interval: 200 });
s.post('Profiler.start');
process.on('exit', () => s.post('Profiler.stop', (err, r) => {
  if (!err) writeFileSync(${JSON.stringify(dir)} + '/server-' + process.pid + '.cpuprofile', JSON.stringify(r.profile));
}));`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

// ---- measuring ------------------------------------------------------------------------------------------

interface Sample {
  rps: number;
  /** Server CPU (user + system) per 2xx reply, µs: what the server itself spends, whatever the load generator costs. */
  cpuUs: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function cannon(url: string, path: string, headers: Record<string, string>, batch: number, seconds: number, pid?: number): Promise<Sample> {
  const cpu0 = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: seconds,
    timeout: 30,
    requests: [{
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      setupRequest: (req) => ({ ...req, body: body(batch) }),
    }],
  });
  // Completed 2xx replies over the wall time of the run.
  const ok = result['2xx'];
  const cpuUs = ((cpuMs(pid) - cpu0) * 1000) / ok;
  return { rps: ok / result.duration, cpuUs, p50: result.latency.p50, p99: result.latency.p99, ok, non2xx: result.non2xx, errors: result.errors };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x: number, digits = 0) => Number(x.toFixed(digits));

async function getJson(url: string, token: string): Promise<any> {
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (r.status !== 200) throw new Error(`GET ${url} → ${r.status} ${await r.text()}`);
  return r.json();
}

/** Resident memory of a child (Linux), in MB; undefined elsewhere. */
function rssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a child has used so far, in ms (Linux /proc); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** One life of the real server: a fresh data dir, its workspace, and what was sent to it. */
class RealServer {
  acked = 0;
  sent = 0;
  private constructor(
    readonly s: Awaited<ReturnType<typeof spawnServer>>,
    readonly dir: string,
    readonly token: string,
    readonly path: string,
  ) {}

  static async start(env: Record<string, string>, token: string): Promise<RealServer> {
    const dir = tempDir('cw-bench-');
    const s = await spawnServer(dir, { ...env, CREDITWATCH_OWNER_TOKEN: token });
    const ws: string = (await getJson(`${s.url}/api/v1/me`, token)).workspace.id;
    return new RealServer(s, dir, token, `/api/v1/workspaces/${ws}/events`);
  }

  /** Every acknowledged event stored, none twice, nothing beyond what was sent; then a clean SIGTERM. */
  async verifyAndStop() {
    const base = `${this.s.url}${this.path.replace(/\/events$/, '')}`;
    const usage = await getJson(`${base}/usage?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`, this.token);
    const stored: number = usage.total.calls;
    const mr = await fetch(`${this.s.url}/metrics`, { headers: { authorization: `Bearer ${this.token}` } });
    const metricsText = await mr.text();
    if (mr.status !== 200) throw new Error(`GET /metrics → ${mr.status} ${metricsText}`);
    const dup = /^creditwatch_events_duplicate_total (\d+)/m.exec(metricsText);
    const duplicates = dup ? Number(dup[1]) : 0; // prom-client leaves a never-incremented counter at 0
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'm').exec(metricsText)?.[1] ?? NaN);
    const journal = {
      flushes: metric('creditwatch_journal_flush_seconds_count'),
      flushSeconds: metric('creditwatch_journal_flush_seconds_sum'),
      records: metric('creditwatch_journal_group_records_sum'),
    };
    const rss = rssMb(this.s.child.pid);
    const exitCode = await stopChild(this.s.child);
    if (exitCode !== 0) log(`bench: the real server exited with ${exitCode} on SIGTERM:\n${this.s.output().slice(-2000)}`);
    rmSync(this.dir, { recursive: true, force: true });
    const ok = stored >= this.acked && stored <= this.sent && duplicates === 0 && exitCode === 0;
    if (!ok) log(`bench: CHECK FAILED — stored ${stored}, acknowledged ${this.acked}, sent ${this.sent}, duplicates ${duplicates}, exit ${exitCode}`);
    return { stored, duplicates, ok, rssMb: rss, exitCode, journal };
  }

  kill(): void {
    this.s.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const token = `bench_owner_${runTag}_0123456789`;
  const env: Record<string, string> = { CREDITWATCH_RATE_LIMIT: '10000000' };
  if (opts.profile) {
    mkdirSync(opts.profile, { recursive: true });
    // --cpu-prof is not allowed in NODE_OPTIONS (and spawnServer takes no node flags): a preload that runs
    // the inspector's profiler in-process and writes the profile when the server exits does the same.
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${profilerPreload(opts.profile)}`.trim();
  }
  // Alert latency first: its 200 stream clients live in this process, whose heap the load rounds below fill
  // with garbage — collected later, it would pause the clients and count against the server.
  const alerts = process.env.BENCH_ONLY && process.env.BENCH_ONLY !== 'alerts' ? undefined : await benchAlerts({ clients: 200, samples: 200, log });
  const only = process.env.BENCH_ONLY;
  const hook = only && only !== 'hook' ? undefined : await benchPageHook({ log });
  const noop = await spawnNoop();
  let real: RealServer | undefined;
  process.once('SIGINT', () => {
    noop.child.kill('SIGKILL');
    real?.kill();
    process.exit(130);
  });

  const shapes = ([{ name: 'single', batch: 1 }, { name: 'batch100', batch: 100 }] as const).filter((s) => !process.env.BENCH_ONLY || s.name === process.env.BENCH_ONLY);
  const samples: Record<string, Sample[]> = {};
  const totals = { acked: 0, sent: 0, stored: 0, duplicates: 0, non2xx: 0, errors: 0, ok: true, maxRssMb: 0, maxStore: 0, flushes: 0, flushSeconds: 0, flushRecords: 0 };

  log(`bench: ${opts.rounds} round(s) × ${shapes.length} shapes × 2 servers, ${opts.connections} connections, ` +
    `${opts.warmup} s warm-up + ${opts.seconds} s each; ${opts.keepServer ? 'one real server for all rounds' : 'a fresh real server per round'}`);
  const finish = async () => {
    if (!real) return;
    const v = await real.verifyAndStop();
    totals.acked += real.acked;
    totals.sent += real.sent;
    totals.stored += v.stored;
    totals.duplicates += v.duplicates;
    totals.ok &&= v.ok;
    totals.maxRssMb = Math.max(totals.maxRssMb, v.rssMb ?? 0);
    totals.maxStore = Math.max(totals.maxStore, v.stored);
    totals.flushes += v.journal.flushes || 0;
    totals.flushSeconds += v.journal.flushSeconds || 0;
    totals.flushRecords += v.journal.records || 0;
    log(`  real server: ${v.stored} events stored (${real.acked} acknowledged, ${real.sent} sent), rss ${v.rssMb ?? '?'} MB, SIGTERM exit ${v.exitCode}`);
    real = undefined;
  };
  try {
    for (let r = 1; r <= (shapes.length ? opts.rounds : 0); r++) {
      if (!opts.keepServer) await finish();
      real ??= await RealServer.start(env, token);
      for (const shape of shapes) {
        for (const target of ['noop', 'ingest'] as const) {
          const url = target === 'noop' ? noop.url : real.s.url;
          const pid = target === 'noop' ? noop.child.pid : real.s.child.pid;
          const headers: Record<string, string> = target === 'noop' ? {} : { authorization: `Bearer ${token}` };
          const before = generated;
          const runs: Sample[] = [];
          if (opts.warmup > 0) runs.push(await cannon(url, real.path, headers, shape.batch, opts.warmup, pid));
          const s = await cannon(url, real.path, headers, shape.batch, opts.seconds, pid);
          runs.push(s);
          for (const x of runs) {
            totals.non2xx += x.non2xx;
            totals.errors += x.errors;
            if (target === 'ingest') real.acked += x.ok * shape.batch;
          }
          if (target === 'ingest') real.sent += generated - before;
          (samples[`${target}_${shape.name}`] ??= []).push(s);
          log(`  round ${r} ${target} ${shape.name}: ${round(s.rps)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, server CPU ${round(s.cpuUs)} µs/req` +
            (s.non2xx || s.errors ? `, non-2xx ${s.non2xx}, errors ${s.errors}` : ''));
        }
      }
    }
    await finish();
  } finally {
    real?.kill();
    await stopChild(noop.child);
    if (opts.profile) log(`bench: CPU profile(s) of the real server written to ${opts.profile}`);
  }

  const m = (key: string, f: (s: Sample) => number) => (samples[key] ? median(samples[key].map(f)) : NaN);
  const f: Record<string, unknown> = {};
  f.noop_single_rps = round(m('noop_single', (s) => s.rps));
  f.ingest_single_rps = round(m('ingest_single', (s) => s.rps));
  // The ratio is taken within each round (side by side) and its median reported: a ratio of medians would
  // pair figures from different rounds.
  const ratioMedian = (a: string, b: string) => (samples[a] ? round(median(samples[a].map((s, i) => s.rps / samples[b][i].rps)), 2) : NaN);
  const single = ratioMedian('ingest_single', 'noop_single');
  f.ingest_single_ratio = single;
  f.noop_batch100_events_per_s = round(m('noop_batch100', (s) => s.rps * 100));
  f.ingest_batch100_events_per_s = round(m('ingest_batch100', (s) => s.rps * 100));
  const batch = ratioMedian('ingest_batch100', 'noop_batch100');
  f.ingest_batch100_ratio = batch;
  f.ingest_single_p50_ms = m('ingest_single', (s) => s.p50);
  f.ingest_single_p99_ms = m('ingest_single', (s) => s.p99);
  f.ingest_batch100_p50_ms = m('ingest_batch100', (s) => s.p50);
  f.ingest_batch100_p99_ms = m('ingest_batch100', (s) => s.p99);
  // Server CPU per request (µs, user + system): the ingest path's own cost, independent of how the 2 cores
  // are shared with the load generator.
  f.noop_single_cpu_us_per_req = round(m('noop_single', (s) => s.cpuUs));
  f.ingest_single_cpu_us_per_req = round(m('ingest_single', (s) => s.cpuUs));
  f.noop_batch100_cpu_us_per_req = round(m('noop_batch100', (s) => s.cpuUs));
  f.ingest_batch100_cpu_us_per_req = round(m('ingest_batch100', (s) => s.cpuUs));
  f.noop_single_p50_ms = m('noop_single', (s) => s.p50);
  f.noop_single_p99_ms = m('noop_single', (s) => s.p99);
  f.noop_batch100_p50_ms = m('noop_batch100', (s) => s.p50);
  f.noop_batch100_p99_ms = m('noop_batch100', (s) => s.p99);
  // Each round's ratio too: the spread says how much to trust the medians on a shared 2-core machine.
  f.ingest_single_ratio_rounds = (samples.ingest_single ?? []).map((s, i) => round(s.rps / samples.noop_single[i].rps, 2)).join(' ');
  f.ingest_batch100_ratio_rounds = (samples.ingest_batch100 ?? []).map((s, i) => round(s.rps / samples.noop_batch100[i].rps, 2)).join(' ');
  f.rounds = opts.rounds;
  f.seconds = opts.seconds;
  f.connections = opts.connections;
  f.fsync = true;
  f.fresh_server_per_round = !opts.keepServer;
  f.non2xx = totals.non2xx;
  f.errors = totals.errors;
  f.ingest_events_acked = totals.acked;
  f.ingest_events_sent = totals.sent;
  f.ingest_events_stored = totals.stored;
  f.ingest_duplicates = totals.duplicates;
  f.ingest_max_store_events = totals.maxStore;
  f.ingest_max_rss_mb = totals.maxRssMb;
  // Group commit: how many requests shared one write + fdatasync, and what that cost.
  f.journal_flushes = totals.flushes;
  f.journal_records_per_flush = round(totals.flushRecords / totals.flushes, 1);
  f.journal_flush_ms_avg = round((totals.flushSeconds * 1000) / totals.flushes, 2);
  const checked = totals.ok && !totals.non2xx && !totals.errors;
  f.stored_check = checked ? 'pass' : 'fail';
  f.targets = 'single>=0.75 batch100>=0.4';
  f.target_single = `${single >= 0.75 ? 'pass' : 'FAIL'} (${single})`;
  f.target_batch100 = `${batch >= 0.4 ? 'pass' : 'FAIL'} (${batch})`;

  if (alerts) {
    f.alert_stream_clients = alerts.clients;
    f.alert_samples = alerts.samples;
    f.alert_sse_p50_ms = alerts.sseP50;
    f.alert_sse_p99_ms = alerts.sseP99;
    f.alert_webhook_p50_ms = alerts.webhookP50;
    f.alert_webhook_p99_ms = alerts.webhookP99;
    f.target_alert_sse_p99 = alerts.sseP99 <= 25 ? `pass (${alerts.sseP99} ms)` : `FAIL (${alerts.sseP99} ms)`;
  }
  if (hook) {
    f.page_hook_ratio = hook.ratio;
    f.page_hook_ratio_rounds = hook.ratioRounds;
    f.page_hook_ms_per_call_with = hook.msPerCallWith;
    f.page_hook_ms_per_call_without = hook.msPerCallWithout;
    f.page_hook_calls_per_round = hook.calls;
    f.extension_kb = hook.extensionKb;
    f.extension_page_hook_kb = hook.hookKb;
    f.extension_observer_kb = hook.observerKb;
    f.target_page_hook = hook.ratio <= 1.02 ? `pass (${hook.ratio})` : `FAIL (${hook.ratio})`;
  }
  if (opts.json) process.stdout.write(JSON.stringify(f) + '\n');
  else for (const [k, v] of Object.entries(f)) process.stdout.write(`${k}: ${v}\n`);
  // Missed targets are a finding, not a failure; a server that lost or invented events is.
  if (!checked) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
