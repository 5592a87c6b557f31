// The outbox on WXT's fake browser: nothing is lost across server failures, reply losses, invalid events and
// a worker restart (a new outbox instance over the same storage, as after the service worker was stopped).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createOutbox, backoffMs } from '../../../extension/background/outbox';
import { ApiError, type Api } from '../../../extension/utils/api';
import { items } from '../../../extension/utils/storage';
import { outboxStore } from '../../../extension/utils/outbox-store';
import type { UsageEvent } from '../../../shared/schemas/events';

const ev = (i: number, over: Partial<UsageEvent> = {}): UsageEvent => ({
  id: `evt_${String(i).padStart(6, '0')}`, at: '2026-11-24T10:00:00.000Z', kind: 'integration', credits: 1, exact: false,
  action: 'Core.InvokeLLM', appId: 'app_1', context: 'preview', outcome: 'ok', flowId: 'flow_0001', ...over,
});

/** A fake server: idempotent on id like the real one; can be down, lose replies, or refuse bad events. */
function fakeServer() {
  const stored = new Map<string, UsageEvent>();
  const s = {
    stored, posts: 0, down: false, loseReply: false, status: 0,
    api: {
      postEvents: async (events: UsageEvent[]) => {
        s.posts++;
        if (s.down) throw new ApiError(s.status, 'server unreachable');
        if (events.some((e) => e.credits === 99_999)) throw new ApiError(400, '400 invalid');
        let accepted = 0;
        for (const e of events) if (!stored.has(e.id)) (stored.set(e.id, e), accepted++);
        if (s.loseReply) throw new ApiError(0, 'connection reset');
        return { accepted, duplicates: events.length - accepted };
      },
    } as unknown as Api,
  };
  return s;
}

function outboxFor(server: ReturnType<typeof fakeServer>, opts: { onAuthError?: () => void } = {}) {
  const retries: number[] = [];
  const box = createOutbox({ api: async () => server.api, now: () => 1_000_000, scheduleRetry: (at) => retries.push(at), onAuthError: opts.onAuthError ?? (() => undefined), jitter: () => 1 });
  return { box, retries };
}

beforeEach(() => fakeBrowser.reset());

describe('outbox', () => {
  it('delivers, empties, and remembers what was acknowledged for the badge', async () => {
    const server = fakeServer();
    const { box } = outboxFor(server);
    await box.add([ev(1), ev(2)]);
    expect(await outboxStore.all()).toHaveLength(2);
    await box.flush();
    expect(server.stored.size).toBe(2);
    expect(await outboxStore.all()).toEqual([]);
    const d = await items.delivery.get();
    expect(d.acked).toHaveLength(2);
    expect(d.attempts).toBe(0);
  });

  it('keeps everything while the server is down, backs off, then delivers each event once', async () => {
    const server = fakeServer();
    server.down = true;
    const { box, retries } = outboxFor(server);
    await box.add(Array.from({ length: 200 }, (_, i) => ev(i)));
    await box.flush();
    const posts = server.posts;
    await box.flush(); // a new call while backing off does not hammer the server
    expect(server.posts).toBe(posts);
    await box.flush({ force: true }); // the retry timer
    expect(await outboxStore.all()).toHaveLength(200);
    expect((await items.delivery.get()).attempts).toBe(2);
    expect(retries).toEqual([1_000_000 + backoffMs(1, 1), 1_000_000 + backoffMs(2, 1)]);
    server.down = false;
    await box.flush({ force: true });
    expect(server.stored.size).toBe(200);
    expect(await outboxStore.all()).toEqual([]);
  });

  it('survives a worker restart: a fresh instance sends what the old one stored', async () => {
    const server = fakeServer();
    server.down = true;
    await outboxFor(server).box.add([ev(1), ev(2), ev(3)]);
    server.down = false;
    const restarted = outboxFor(server).box;
    await restarted.flush({ force: true });
    expect([...server.stored.keys()]).toEqual(['evt_000001', 'evt_000002', 'evt_000003']);
  });

  it('a lost reply means a resend, and the server counts it once', async () => {
    const server = fakeServer();
    server.loseReply = true;
    const { box } = outboxFor(server);
    await box.add([ev(1), ev(2)]);
    await box.flush();
    expect(await outboxStore.all()).toHaveLength(2);
    server.loseReply = false;
    await box.flush({ force: true });
    expect(server.stored.size).toBe(2);
    expect(await outboxStore.all()).toEqual([]);
  });

  it('isolates an invalid event by halving, delivers the rest, and keeps a note of the refusal', async () => {
    const server = fakeServer();
    const { box } = outboxFor(server);
    await box.add([ev(1), ev(2), ev(3, { credits: 99_999 }), ev(4), ev(5)]);
    await box.flush();
    expect([...server.stored.keys()].sort()).toEqual(['evt_000001', 'evt_000002', 'evt_000004', 'evt_000005']);
    expect(await outboxStore.all()).toEqual([]);
    expect((await items.delivery.get()).rejected).toMatchObject([{ count: 1, detail: '400 invalid' }]);
  });

  it('stops on a refused token without scheduling retries, and keeps the events', async () => {
    const server = fakeServer();
    server.down = true;
    server.status = 401;
    const onAuthError = vi.fn();
    const { box, retries } = outboxFor(server, { onAuthError });
    await box.add([ev(1)]);
    await box.flush();
    expect(onAuthError).toHaveBeenCalledOnce();
    expect(retries).toEqual([]);
    expect(await outboxStore.all()).toHaveLength(1);
  });

  it('loses nothing when adds and flushes interleave', async () => {
    const server = fakeServer();
    const { box } = outboxFor(server);
    await Promise.all(Array.from({ length: 20 }, (_, i) => box.add([ev(i * 2), ev(i * 2 + 1)]).then(() => box.flush())));
    await box.flush();
    expect(server.stored.size).toBe(40);
    expect(await outboxStore.all()).toEqual([]);
  });

  it('ignores an id it already holds; a corrupt stored entry is dropped alone, not the whole outbox', async () => {
    const server = fakeServer();
    const { box } = outboxFor(server);
    await box.add([ev(1)]);
    await box.add([ev(1)]);
    expect(await outboxStore.all()).toHaveLength(1);
    const meta = await outboxStore.summary();
    await fakeBrowser.storage.local.set({ [`outbox:${meta.chunks[0]}`]: [{ id: 'x' }, ev(2), 'junk'] });
    expect(await outboxStore.all()).toEqual([ev(2)]);
    await fakeBrowser.storage.local.set({ outboxMeta: 'garbage' });
    expect(await outboxStore.all()).toEqual([]);
  });

  it('keeps a running summary for the badge, and appends write only the new batch', async () => {
    const server = fakeServer();
    server.down = true;
    const { box } = outboxFor(server);
    await box.add([ev(1), ev(2, { credits: 0.5, kind: 'message' })]);
    await box.add([ev(3, { credits: 2 })]);
    expect(await outboxStore.summary()).toMatchObject({ count: 3, credits: { integration: 3, message: 0.5 } });
    const writes: string[][] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => {
      writes.push(Object.keys(items));
      return set(items);
    };
    await box.add([ev(4)]);
    fakeBrowser.storage.local.set = set;
    expect(writes).toEqual([['outbox:2', 'outboxMeta']]);
    server.down = false;
    await box.flush({ force: true });
    expect(await outboxStore.summary()).toMatchObject({ count: 0, credits: { integration: 0, message: 0 } });
  });
});
