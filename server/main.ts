// The only place that starts things: config → store → app → listen → graceful shutdown.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { Store, StoreDataError } from './store/store';
import { createApp } from './app';
import { createWorkspace, hasOwner } from './domain/workspaces';
import { createInvite } from './domain/pairing';
import { pairingLink } from '../shared/extension-id';

/** Set once start-up has something to stop; a signal before that just exits. */
let stopHandler: ((signal: string) => Promise<void>) | null = null;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (!stopHandler) process.exit(0);
    stopHandler(signal).catch((e) => {
      process.stderr.write(`creditwatch: could not flush on ${signal}: ${String(e)}\n`);
      process.exit(1);
    });
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let flushed: (n: number, ms: number) => void = () => {};
  const store = await Store.open({
    dir: config.dataDir,
    fsync: config.fsync,
    retentionDays: config.retentionDays,
    now: Date.now,
    onFlush: (n, ms) => flushed(n, ms),
    onFatal: (e) => {
      // Fail-stop: after a failed journal write nothing more may be acknowledged. A restart replays the journal.
      log.error('cannot write the journal; stopping so that no unsaved change is acknowledged', { error: String(e) });
      process.exit(70);
    },
  });
  stopHandler = async () => {
    await store.close();
    process.exit(0);
  };
  const r = store.loadReport;
  log.info('store loaded', { dir: config.dataDir, events: r.events, replayed: r.replayedRecords, corruptLines: r.corruptLines, tornBytes: r.tornBytes, ms: r.ms });
  if (r.corruptLines) log.warn('the journal had unreadable lines; they were skipped and compacted away', { lines: r.corruptLines });

  const built = createApp({
    store, log, rateLimitPerMinute: config.rateLimitPerMinute, heartbeatMs: config.heartbeatMs, retentionDays: config.retentionDays,
    retrySchedule: config.retrySchedule,
  });
  // Deliveries still pending from the last run go out again (and alerts are re-evaluated).
  built.queue.start();
  for (const wsId of Object.keys(store.state.workspaces)) built.engine.changed(wsId);
  flushed = built.metrics.flushed;

  // First start: one workspace and a way for its owner to pair.
  let pairing: { code: string; expiresAt: string } | undefined;
  const first = Object.values(store.state.workspaces).sort((a, b) => a.settings.createdAt.localeCompare(b.settings.createdAt))[0];
  if (!first) {
    pairing = (await createWorkspace(built.deps, 'My workspace', config.ownerToken)).invite;
  } else if (!hasOwner(built.deps, first.settings.id)) {
    pairing = await createInvite(built.deps, first.settings.id, { role: 'owner', name: 'Owner' });
  }

  const server = built.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  process.stdout.write(`creditwatch listening on ${url}\n`);
  printNextSteps(url, config.extensionDir, config.dataDir, pairing);

  const compaction = setInterval(() => {
    if (store.needsCompaction()) void store.compact().then((c) => log.info('journal compacted', c), (e) => log.error('compaction failed', { error: String(e) }));
  }, 3_600_000);
  compaction.unref();

  let stopping = false;
  stopHandler = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    clearInterval(compaction);
    server.close();
    server.closeIdleConnections();
    await built.close();
    await store.close();
    process.exit(0);
  };
}

function printNextSteps(url: string, extDir: string, dataDir: string, pairing?: { code: string; expiresAt: string }): void {
  const lines = [''];
  const ext = relative(process.cwd(), extDir) || extDir;
  if (existsSync(`${extDir}/manifest.json`)) {
    lines.push(`Extension: load the unpacked folder ${ext} in Chromium or Chrome (chrome://extensions → Developer mode → Load unpacked).`);
  } else {
    lines.push(`Extension: not built yet — run "npm run build:ext", then load ${ext} unpacked.`);
  }
  if (pairing) {
    lines.push(`Pair it: in that browser, open ${pairingLink(url, pairing.code)}`);
    lines.push(`         (or open the extension's options page and enter server ${url} and the owner code ${pairing.code};`);
    lines.push(`         single use, valid until ${pairing.expiresAt}). Invite teammates from there once paired.`);
  } else {
    lines.push(`Pair another device: ask an owner or lead for a code (POST ${url}/api/v1/workspaces/{ws}/invites).`);
  }
  lines.push(`Data: ${dataDir}   API: ${url}/openapi.json   Stop: Ctrl+C`, '');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  if (e instanceof ConfigError || e instanceof StoreDataError) {
    process.stderr.write(`creditwatch: ${e.message}\n`);
    process.exit(78);
  }
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`creditwatch: the port is already in use; set CREDITWATCH_PORT to another port (0 picks a free one)\n`);
    process.exit(75);
  }
  process.stderr.write(`creditwatch: failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
