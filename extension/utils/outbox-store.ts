// The outbox's storage: events in chunks (one storage key per batch added) plus a small summary key, written
// together in one storage.set so they can never disagree. Adding a batch writes only that batch — not the
// whole outbox — so a page looping while the server is down costs the same per call at 10 events as at 10,000.
// The summary (count, credits per kind) lets the badge count pending credits without reading every event.
// Chunks read back are validated event by event: one corrupt entry is dropped, never the whole outbox.
import { browser } from 'wxt/browser';
import * as z from 'zod/mini';
import { usageEventSchema, type UsageEvent } from '../../shared/schemas/events';

const META = 'outboxMeta';
const chunkKey = (n: number) => `outbox:${n}`;

const metaSchema = z.object({
  next: z.int(),
  chunks: z.array(z.int()),
  count: z.number(),
  credits: z.object({ message: z.number(), integration: z.number() }),
});
export type OutboxSummary = z.infer<typeof metaSchema>;
const EMPTY: OutboxSummary = { next: 0, chunks: [], count: 0, credits: { message: 0, integration: 0 } };

/** At most this many events wait (~250–330 bytes each: ~6 MB, inside storage.local's 10 MB); past it the oldest go. */
export const OUTBOX_CAP = 20_000;

const round = (n: number) => Math.round(n * 1000) / 1000;

async function meta(): Promise<OutboxSummary> {
  const v = (await browser.storage.local.get(META))[META];
  const parsed = metaSchema.safeParse(v);
  return parsed.success ? parsed.data : EMPTY;
}

function clean(v: unknown): UsageEvent[] {
  if (!Array.isArray(v)) return [];
  const out: UsageEvent[] = [];
  for (const e of v) {
    const parsed = usageEventSchema.safeParse(e);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function summarise(m: OutboxSummary, chunks: Map<number, UsageEvent[]>): OutboxSummary {
  const credits = { message: 0, integration: 0 };
  let count = 0;
  for (const n of m.chunks) {
    for (const e of chunks.get(n) ?? []) {
      credits[e.kind] += e.credits;
      count++;
    }
  }
  return { ...m, count, credits: { message: round(credits.message), integration: round(credits.integration) } };
}

async function readChunks(ns: number[]): Promise<Map<number, UsageEvent[]>> {
  if (!ns.length) return new Map();
  const got = await browser.storage.local.get(ns.map(chunkKey));
  return new Map(ns.map((n) => [n, clean(got[chunkKey(n)])]));
}

/** Callers serialise these (background/outbox.ts holds a lock). */
export const outboxStore = {
  summary: meta,

  async append(events: UsageEvent[]): Promise<void> {
    if (!events.length) return;
    const m = await meta();
    const n = m.next;
    const next: OutboxSummary = { next: n + 1, chunks: [...m.chunks, n], count: m.count + events.length, credits: { ...m.credits } };
    for (const e of events) next.credits[e.kind] = round(next.credits[e.kind] + e.credits);
    await browser.storage.local.set({ [chunkKey(n)]: events, [META]: next });
    if (next.count > OUTBOX_CAP) await this.dropOldest(next.count - OUTBOX_CAP);
  },

  /** The oldest events, at least `max` when there are that many (whole chunks). */
  async head(max: number): Promise<UsageEvent[]> {
    const m = await meta();
    const out: UsageEvent[] = [];
    for (const n of m.chunks) {
      if (out.length >= max) break;
      out.push(...((await readChunks([n])).get(n) ?? []));
    }
    return out.slice(0, max);
  },

  async all(): Promise<UsageEvent[]> {
    const m = await meta();
    const chunks = await readChunks(m.chunks);
    return m.chunks.flatMap((n) => chunks.get(n) ?? []);
  },

  /** Removes these ids (sent, or set aside) from the oldest chunks they sit in. */
  async remove(ids: Set<string>): Promise<void> {
    const m = await meta();
    const chunks = await readChunks(m.chunks);
    const set: Record<string, unknown> = {};
    const gone: string[] = [];
    let left = ids.size;
    for (const n of m.chunks) {
      if (!left) break;
      const before = chunks.get(n)!;
      const after = before.filter((e) => !ids.has(e.id));
      if (after.length === before.length) continue;
      left -= before.length - after.length;
      chunks.set(n, after);
      if (after.length) set[chunkKey(n)] = after;
      else gone.push(chunkKey(n));
    }
    const next = summarise({ ...m, chunks: m.chunks.filter((n) => chunks.get(n)!.length) }, chunks);
    await browser.storage.local.set({ ...set, [META]: next });
    if (gone.length) await browser.storage.local.remove(gone);
  },

  async dropOldest(count: number): Promise<void> {
    const ids = new Set((await this.head(count)).map((e) => e.id));
    await this.remove(ids);
  },

  async clear(): Promise<void> {
    const m = await meta();
    await browser.storage.local.remove([...m.chunks.map(chunkKey), META]);
  },
};
