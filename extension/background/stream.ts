// The live stream: GET …/stream read with fetch (headers carry the token and Last-Event-ID), parsed by
// shared/sse.ts. It reconnects with backoff after any failure, and on every worker wake; the last frame id is
// kept in storage so a reconnect replays what was missed. `stale()` lets the watchdog alarm notice a stream
// that went silent (no heartbeat for over a minute) and restart it.
import { createSseParser, type SseFrame } from '../../shared/sse';
import type { Api } from '../utils/api';
import { items, type Connection } from '../utils/storage';

export interface StreamDeps {
  api: () => Promise<Api | null>;
  now: () => number;
  onFrame: (frame: SseFrame) => Promise<void>;
  /** Called after each (re)connect, to catch up with a full balance read. */
  onOpen: () => Promise<void>;
  onRevoked: () => void;
  fetch?: typeof fetch;
}

const SILENT_MS = 60_000;

export function createStream(d: StreamDeps) {
  let controller: AbortController | null = null;
  let lastData = 0;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const setState = async (state: Connection['state'], error?: string) => {
    const c = await items.connection.get();
    if (c.state !== state || c.error !== error) await items.connection.set({ ...c, state, since: d.now(), error });
  };

  async function connect(): Promise<void> {
    if (controller) return;
    const api = await d.api();
    if (!api || controller) return;
    stopped = false;
    clearTimeout(timer);
    const ac = new AbortController();
    controller = ac;
    lastData = d.now();
    try {
      const { lastEventId } = await items.connection.get();
      const res = await (d.fetch ?? fetch)(api.streamUrl(), {
        headers: { ...api.authHeader, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: ac.signal,
      });
      if (res.status === 401 || res.status === 403) {
        await setState('revoked', 'the server no longer accepts this device: pair again');
        d.onRevoked();
        stopped = true;
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      await setState('live');
      failures = 0;
      await d.onOpen();
      const parser = createSseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the server closed the stream');
        lastData = d.now();
        for (const frame of parser.push(value)) {
          await d.onFrame(frame);
          if (frame.id) {
            const c = await items.connection.get();
            await items.connection.set({ ...c, lastEventId: frame.id });
          }
        }
      }
    } catch (e) {
      if (ac.signal.aborted && stopped) return;
      failures++;
      await setState('unreachable', (e as Error).message || 'stream failed');
    } finally {
      if (controller === ac) controller = null;
    }
    if (!stopped) {
      clearTimeout(timer);
      timer = setTimeout(() => void connect(), Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)));
    }
  }

  return {
    connect,
    /** True when no byte arrived for a minute (the server sends a heartbeat at least every 25 s). */
    stale: () => controller !== null && d.now() - lastData > SILENT_MS,
    live: () => controller !== null,
    /** The server answered something else (e.g. the outbox got through): no need to wait out the backoff. */
    nudge() {
      if (controller || stopped) return;
      clearTimeout(timer);
      void connect();
    },
    restart() {
      controller?.abort();
      controller = null;
      return connect();
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      controller = null;
    },
  };
}
export type Stream = ReturnType<typeof createStream>;
