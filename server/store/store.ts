// The store: the only module that touches lowdb or the data files. State (workspaces, members, tokens, …)
// lives in memory and in a lowdb snapshot written coalesced; every change is first a journal record, and
// usage events live only in the journal (so the snapshot stays small however many events there are).
// Start-up = read snapshot, replay the journal after it. Compaction rewrites the journal from memory.
import { IdIndex } from './id-index';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { mkdirSync, openSync, fsyncSync, closeSync, writeFileSync, writeSync, renameSync, existsSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from './journal';
import { SecretBox } from './secrets';
import { applyRecord, emptyState, eventLog, upgradeWorkspace, type EventIndex, type EventLog, type State, type StoreRecord } from './records';
import type { StoredUsageEvent } from '../../shared/schemas/events';

const SNAPSHOT_FORMAT = 1;
/** Records other than events that change what a balance computation sees. */
const BALANCE_OPS = new Set<StoreRecord['op']>(['ws.create', 'ws.patch', 'member.add', 'member.remove', 'app.put', 'grant.add', 'grant.remove', 'reading.add']);

interface Snapshot {
  format: number;
  seq: number;
  savedAt: string;
  state: State;
}

export interface StoreOptions {
  dir: string;
  fsync: boolean;
  retentionDays: number;
  now: () => number;
  /** How long snapshot writes are coalesced; default 1 s (the journal has every change meanwhile). */
  snapshotDelayMs?: number;
  /** Called once if the journal cannot be written: the process must stop acknowledging (fail-stop). */
  onFatal?: (error: unknown) => void;
  onFlush?: (records: number, ms: number) => void;
}

export interface LoadReport {
  snapshotSeq: number;
  replayedRecords: number;
  events: number;
  corruptLines: number;
  tornBytes: number;
  ms: number;
}

export class StoreDataError extends Error {}
/** A change arrived after shutdown began: nothing was stored; the client should retry. */
export class StoreClosedError extends Error {}

export class Store {
  readonly state: State;
  readonly events: EventIndex;
  private seq: number;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private redundant = 0;
  private closed = false;
  /** Counts changes that can move a balance (settings, members, apps, grants, readings): caches compare it. */
  version = 0;
  private compacting = false;
  private lastCompaction = 0;
  /** Seals secrets before they go into records (secrets.ts); its key file lives beside the snapshot. */
  readonly secrets: SecretBox;

  private constructor(
    private readonly opts: StoreOptions,
    private readonly db: Low<Snapshot>,
    private readonly journal: Journal<StoreRecord>,
    loaded: { state: State; events: EventIndex; seq: number; redundant: number },
    readonly loadReport: LoadReport,
  ) {
    this.state = loaded.state;
    this.events = loaded.events;
    this.seq = loaded.seq;
    this.redundant = loaded.redundant;
    this.secrets = new SecretBox(join(opts.dir, 'secret.key'));
  }

  static async open(opts: StoreOptions): Promise<Store> {
    const t0 = performance.now();
    mkdirSync(opts.dir, { recursive: true });
    lockDir(opts.dir);
    const db = new Low<Snapshot>(new JSONFile<Snapshot>(join(opts.dir, 'snapshot.json')), {
      format: SNAPSHOT_FORMAT,
      seq: 0,
      savedAt: new Date(opts.now()).toISOString(),
      state: emptyState(),
    });
    try {
      await db.read();
    } catch (e) {
      throw new StoreDataError(`${join(opts.dir, 'snapshot.json')} is not valid JSON (${(e as Error).message}); restore it from a backup or move it away to start empty`);
    }
    checkSnapshot(db.data, opts.dir);
    const state = db.data.state;
    for (const id of Object.keys(state.workspaces)) state.workspaces[id] = upgradeWorkspace(state.workspaces[id]);
    const events: EventIndex = new Map();
    const file = journalFile(opts.dir);
    let seq = db.data.seq;
    let replayed = 0;
    let redundant = 0;
    const { corrupt, tornBytes } = Journal.read<StoreRecord>(file, ({ seq: s, r }) => {
      // Events live only in the journal: always replayed (idempotently). Other records only when newer than
      // the snapshot, which already holds the older ones.
      if (r.op === 'events' || r.op === 'events.sent' || s > db.data.seq) {
        applyRecord(state, events, r);
        replayed++;
      } else {
        redundant++;
      }
      if (s > seq) seq = s;
    });
    if (corrupt > 0) {
      // Compaction is about to rewrite the journal without the unreadable lines: keep the original for forensics.
      copyFileSync(file, join(opts.dir, `journal.corrupt-${new Date(opts.now()).toISOString().replace(/[:.]/g, '-')}.ndjson`));
    }
    const journal = await Journal.open<StoreRecord>(file, { fsync: opts.fsync, onFlush: opts.onFlush });
    let count = 0;
    for (const log of events.values()) count += log.list.length;
    const store = new Store(opts, db, journal, { state, events, seq, redundant }, {
      snapshotSeq: db.data.seq,
      replayedRecords: replayed,
      events: count,
      corruptLines: corrupt,
      tornBytes,
      ms: Math.round(performance.now() - t0),
    });
    // Start from a compact journal whenever the last run left settled records or expired events behind.
    if (redundant > 0 || corrupt > 0 || store.hasExpired()) await store.compact();
    return store;
  }

  /** Usage events of one workspace (arrival order) and their id index. */
  eventLog(wsId: string): EventLog {
    return eventLog(this.events, wsId);
  }

  /**
   * Applies a record now (so the next request sees it) and resolves once it is durable.
   * For 'events', only events not seen before are kept; `added` lists them.
   */
  commit(record: StoreRecord, line?: (seq: number) => Buffer[] | undefined): { added?: StoredUsageEvent[]; durable: Promise<void> } {
    if (this.closed) return { durable: Promise.reject(new StoreClosedError('the server is shutting down; retry shortly')) };
    const seq = ++this.seq;
    const added = applyRecord(this.state, this.events, record);
    let durable: Promise<void>;
    if (record.op === 'events') {
      durable = added && added.length ? this.journal.append(seq, { ...record, events: added }, line?.(seq)) : this.journal.barrier();
    } else {
      durable = this.journal.append(seq, record);
      if (BALANCE_OPS.has(record.op)) this.version++;
      this.redundant++;
      this.scheduleSnapshot();
    }
    durable.catch((e) => this.opts.onFatal?.(e));
    return { added, durable };
  }

  /** Resolves when everything committed so far is durable. */
  barrier(): Promise<void> {
    return this.journal.barrier();
  }

  stats() {
    let events = 0;
    for (const log of this.events.values()) events += log.list.length;
    return { seq: this.seq, events, journalBytes: this.journal.bytes, journalFlushes: this.journal.flushes, workspaces: Object.keys(this.state.workspaces).length };
  }

  private scheduleSnapshot(): void {
    if (this.snapshotTimer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      void this.snapshot().catch((e) => this.opts.onFatal?.(e));
    }, this.opts.snapshotDelayMs ?? 1000);
  }

  /**
   * A coalesced snapshot. The journal is held only while it is drained and the state serialised; the file is
   * written after that, so commits wait a drain, not a file write and two fsyncs.
   */
  private async snapshot(): Promise<void> {
    // The write is carried out of the held section in an object: returning a bare promise from an async
    // function would make the section wait for it.
    const { written } = await this.journal.exclusive(() => this.serialiseSnapshot());
    await written;
    this.syncSnapshot();
  }

  /**
   * Starts writing the snapshot. Call with the journal held (exclusive): records are applied to memory before
   * they are durable, so the queue is drained first and the state serialised with nothing in flight — the
   * snapshot then never holds a change that could still be lost. lowdb serialises synchronously inside write().
   */
  private async serialiseSnapshot(): Promise<{ written: Promise<void> }> {
    await this.journal.drain();
    this.db.data = { format: SNAPSHOT_FORMAT, seq: this.seq, savedAt: new Date(this.opts.now()).toISOString(), state: this.state };
    return { written: this.db.write() };
  }

  private async writeSnapshot(): Promise<void> {
    await (await this.serialiseSnapshot()).written;
    this.syncSnapshot();
  }

  private syncSnapshot(): void {
    if (this.opts.fsync) {
      // lowdb writes a temp file and renames it; make both the file and the rename durable.
      fsyncFile(join(this.opts.dir, 'snapshot.json'));
      fsyncFile(this.opts.dir);
    }
  }

  /** Worth compacting: many settled settings records in the journal, or (at most daily) events past retention. */
  needsCompaction(): boolean {
    if (this.compacting) return false;
    return this.redundant > 5000 || (this.opts.now() - this.lastCompaction > 86_400_000 && this.hasExpired());
  }

  private hasExpired(): boolean {
    const cutoff = this.opts.now() - this.opts.retentionDays * 86_400_000;
    for (const log of this.events.values()) if (log.list.some((e) => Date.parse(e.at) < cutoff)) return true;
    return false;
  }

  /**
   * Rewrites the journal as just the retained events (the snapshot holds everything else) and drops events
   * and readings past retention. Runs with journal writes held back, so nothing interleaves.
   */
  async compact(): Promise<{ events: number; dropped: number }> {
    if (this.compacting) return { events: 0, dropped: 0 };
    this.compacting = true;
    const cutoffMs = this.opts.now() - this.opts.retentionDays * 86_400_000;
    return this.journal.exclusive(async () => {
      let kept = 0;
      let dropped = 0;
      for (const log of this.events.values()) {
        const before = log.list.length;
        if (log.list.some((e) => Date.parse(e.at) < cutoffMs)) {
          log.list = log.list.filter((e) => Date.parse(e.at) >= cutoffMs);
          const compacted = log;
          compacted.ids = IdIndex.of(compacted.list, (pos) => compacted.list[pos].id);
        }
        dropped += before - log.list.length;
        kept += log.list.length;
      }
      for (const ws of Object.values(this.state.workspaces)) ws.readings = ws.readings.filter((r) => Date.parse(r.at) >= cutoffMs);
      const now = this.opts.now();
      for (const [hash, inv] of Object.entries(this.state.invites)) if (Date.parse(inv.expiresAt) <= now) delete this.state.invites[hash];
      await this.writeSnapshot();
      fsyncFile(join(this.opts.dir, 'snapshot.json'));
      const file = journalFile(this.opts.dir);
      const tmp = `${file}.compact`;
      // Written chunk by chunk: the whole journal may not fit in one string.
      const fd = openSync(tmp, 'w');
      try {
        for (const [wsId, log] of this.events) {
          for (let i = 0; i < log.list.length; i += 1000) {
            writeSync(fd, JSON.stringify({ seq: this.seq, r: { op: 'events', wsId, events: log.list.slice(i, i + 1000) } }) + '\n');
          }
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      fsyncFile(this.opts.dir);
      await this.journal.reopen(file);
      this.redundant = 0;
      this.lastCompaction = now;
      return { events: kept, dropped };
    }).finally(() => {
      this.compacting = false;
    });
  }

  /** Flushes everything acknowledged or pending and writes a final snapshot. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    await this.journal.barrier().catch(() => undefined);
    if (!this.journal.failure) await this.journal.exclusive(() => this.writeSnapshot());
    await this.journal.close();
    rmSync(join(this.opts.dir, LOCK), { force: true });
  }
}

const LOCK = 'creditwatch.lock';

/**
 * One server per data directory: two would interleave journal writes. The lock names the holder's pid; a lock
 * left by a process that no longer runs (killed with -9) is taken over.
 */
function lockDir(dir: string): void {
  const file = join(dir, LOCK);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const pid = Number(readFileSync(file, 'utf8'));
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
    throw new StoreDataError(`${dir} is in use by another Creditwatch server (pid ${pid}); stop it or set CREDITWATCH_DATA_DIR to another folder`);
  }
  writeFileSync(file, String(process.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function journalFile(dir: string): string {
  return join(dir, 'journal.ndjson');
}

function fsyncFile(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Stored data read back is checked like any other input: a wrong shape stops start-up with a clear message. */
function checkSnapshot(data: unknown, dir: string): asserts data is Snapshot {
  const d = data as Partial<Snapshot> | null;
  const where = join(dir, 'snapshot.json');
  if (!d || typeof d !== 'object') throw new StoreDataError(`${where} does not hold a Creditwatch snapshot`);
  if (d.format !== SNAPSHOT_FORMAT) throw new StoreDataError(`${where} has format ${String(d.format)}; this version reads format ${SNAPSHOT_FORMAT}`);
  if (typeof d.seq !== 'number' || !d.state || typeof d.state !== 'object') throw new StoreDataError(`${where} is missing seq or state`);
  for (const k of ['workspaces', 'tokens', 'invites'] as const) {
    if (!d.state[k] || typeof d.state[k] !== 'object') throw new StoreDataError(`${where}: state.${k} is missing`);
  }
}
