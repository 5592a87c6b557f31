// The append-only journal: one JSON record per line, written with group commit. Every record queued while a
// write is in flight goes out in the next single write + fdatasync, so many concurrent requests share one
// disk flush. `append` resolves only once its record is on disk; that is what lets ingest answer "durable".
import { open, type FileHandle } from 'node:fs/promises';
import { closeSync, existsSync, ftruncateSync, openSync, readSync } from 'node:fs';



export interface JournalLine<R> {
  seq: number;
  r: R;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class Journal<R> {
  /** Journals are read in chunks of this size (tests shrink it to cross chunk boundaries). */
  static readChunkBytes = 16 << 20;
  private queue: Buffer[][] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private writing: Promise<void> | null = null;
  private gate: Promise<void> | null = null;
  private held: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  get failure(): unknown {
    return this.failed;
  }
  bytes = 0;
  flushes = 0;

  private constructor(
    private fh: FileHandle,
    private readonly fsync: boolean,
    private readonly onFlush?: (records: number, ms: number) => void,
  ) {}

  static async open<R>(file: string, opts: { fsync: boolean; onFlush?: (records: number, ms: number) => void }): Promise<Journal<R>> {
    const fh = await open(file, 'a');
    const j = new Journal<R>(fh, opts.fsync, opts.onFlush);
    j.bytes = (await fh.stat()).size;
    return j;
  }

  /**
   * Calls `onLine` for every complete line, reading in chunks (a journal may outgrow one string or buffer).
   * A torn last line (the process died mid-write, so it was never acknowledged) is cut off the file so later
   * appends start clean. Unparseable lines elsewhere are skipped and counted.
   */
  static read<R>(file: string, onLine: (line: JournalLine<R>) => void): { corrupt: number; tornBytes: number } {
    if (!existsSync(file)) return { corrupt: 0, tornBytes: 0 };
    const fd = openSync(file, 'r+');
    const chunk = Buffer.alloc(Journal.readChunkBytes);
    let carry: Buffer = Buffer.alloc(0);
    let offset = 0;
    let corrupt = 0;
    try {
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, offset);
        if (n === 0) break;
        offset += n;
        const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
          if (nl > start) {
            try {
              const parsed = JSON.parse(data.toString('utf8', start, nl)) as JournalLine<R>;
              if (typeof parsed?.seq !== 'number' || typeof parsed.r !== 'object' || parsed.r === null) throw new Error('shape');
              onLine(parsed);
            } catch {
              corrupt++;
            }
          }
          start = nl + 1;
        }
        carry = Buffer.from(data.subarray(start));
      }
      if (carry.length) ftruncateSync(fd, offset - carry.length);
    } finally {
      closeSync(fd);
    }
    return { corrupt, tornBytes: carry.length };
  }

  /** `line` overrides the encoding: pre-built buffers holding one JSON line that replays as `record`. */
  append(seq: number, record: R, line?: Buffer[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.queue.push(line ?? [Buffer.from(JSON.stringify({ seq, r: record }) + '\n')]);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flushing = this.flushLoop();
    return p;
  }

  /**
   * Resolves when everything appended so far is durable: joins the queued group if there is one, else waits
   * for the write in flight. It never waits for records appended after it was called.
   */
  barrier(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.queue.length) return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.writing) {
      return this.writing.then(() => {
        if (this.failed) throw this.failed;
      });
    }
    return Promise.resolve();
  }

  /**
   * Runs `fn` with no write in flight and none starting (snapshots and compaction run under this). Calls are
   * queued one after another, so two holders never overlap.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.held.then(async () => {
      let release!: () => void;
      this.gate = new Promise<void>((r) => (release = r));
      while (this.writing) await this.writing.catch(() => undefined);
      try {
        return await fn();
      } finally {
        this.gate = null;
        release();
      }
    });
    this.held = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** With the journal held (exclusive), writes whatever is queued now, until nothing is. */
  async drain(): Promise<void> {
    while (this.queue.length) await this.writeQueued();
    if (this.failed) throw this.failed;
  }

  private async flushLoop(): Promise<void> {
    // Let the current tick's requests queue up behind the first one: that is the "group" in group commit.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length) {
      if (this.gate) await this.gate;
      this.writing = this.writeQueued();
      await this.writing;
      this.writing = null;
    }
    this.flushing = null;
  }

  private async writeQueued(): Promise<void> {
    const buffers = this.queue.flat();
    const waiters = this.waiters;
    const n = this.queue.length;
    this.queue = [];
    this.waiters = [];
    const t0 = performance.now();
    try {
      let bytes = 0;
      for (const b of buffers) bytes += b.length;
      // writev hands the kernel every buffer of the group in one call, with no joining copy.
      let written = 0;
      let pending = buffers;
      while (written < bytes) {
        const { bytesWritten } = await this.fh.writev(pending);
        written += bytesWritten;
        if (written < bytes) pending = remainder(buffers, written);
      }
      if (this.fsync) await this.fh.datasync();
      this.bytes += bytes;
      this.flushes++;
      this.onFlush?.(n, performance.now() - t0);
      for (const w of waiters) w.resolve();
    } catch (e) {
      // Fail-stop: after a failed write the file's tail is unknown, so nothing more is acknowledged.
      this.failed = e;
      for (const w of [...waiters, ...this.waiters]) w.reject(e);
      this.waiters = [];
      this.queue = [];
    }
  }

  /** Replaces the file handle after compaction renamed a new file into place. */
  async reopen(file: string): Promise<void> {
    await this.fh.close();
    this.fh = await open(file, 'a');
    this.bytes = (await this.fh.stat()).size;
  }

  async close(): Promise<void> {
    await this.barrier().catch(() => undefined);
    await this.fh.close();
  }
}

/** The part of `buffers` after the first `offset` bytes (a short writev is rare but allowed). */
function remainder(buffers: Buffer[], offset: number): Buffer[] {
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (offset >= b.length) {
      offset -= b.length;
      continue;
    }
    out.push(offset > 0 ? b.subarray(offset) : b);
    offset = 0;
  }
  return out;
}
