// Live stream per workspace: Server-Sent Events with ids, a bounded replay buffer for Last-Event-ID, and a
// comment heartbeat. Frame ids are "<boot>-<n>": after a restart the boot part differs, so a client's old id
// is recognised as unreplayable and the client simply gets the current balance.
import type { Response } from 'express';

export type StreamEventName = 'balance' | 'usage' | 'alert' | 'alert.resolved';

interface Frame {
  n: number;
  event: StreamEventName;
  data: unknown;
  text?: string;
}

export interface StreamClient {
  res: Response;
  tokenHash: string;
  memberId: string;
}

interface Channel {
  n: number;
  frames: Frame[];
  clients: Set<StreamClient>;
}

/** A client that stops reading is dropped once this much is buffered for it, instead of growing without end. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface HubOptions {
  boot: string;
  heartbeatMs: number;
  replayFrames?: number;
}

export class Hub {
  private channels = new Map<string, Channel>();
  private heartbeat: NodeJS.Timeout;
  private readonly replayFrames: number;

  constructor(private readonly opts: HubOptions) {
    this.replayFrames = opts.replayFrames ?? 1000;
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  private channel(wsId: string): Channel {
    let c = this.channels.get(wsId);
    if (!c) {
      c = { n: 0, frames: [], clients: new Set() };
      this.channels.set(wsId, c);
    }
    return c;
  }

  clientCount(wsId?: string): number {
    if (wsId) return this.channels.get(wsId)?.clients.size ?? 0;
    let n = 0;
    for (const c of this.channels.values()) n += c.clients.size;
    return n;
  }

  private id(n: number): string {
    return `${this.opts.boot}-${n}`;
  }

  private static format(id: string, f: Frame): string {
    f.text ??= JSON.stringify(f.data);
    return `id: ${id}\nevent: ${f.event}\ndata: ${f.text}\n\n`;
  }

  /** Sends a frame to every connected client of the workspace and keeps it for replay. */
  publish(wsId: string, event: StreamEventName, data: unknown): string {
    const c = this.channel(wsId);
    const frame: Frame = { n: ++c.n, event, data };
    c.frames.push(frame);
    if (c.frames.length > this.replayFrames * 1.25) c.frames.splice(0, c.frames.length - this.replayFrames);
    const id = this.id(frame.n);
    if (c.clients.size) {
      const text = Hub.format(id, frame);
      for (const client of c.clients) this.send(c, client, text);
    }
    return id;
  }

  /**
   * Opens a stream: replays frames after `lastEventId` when they are still buffered, then sends `initial`
   * (the current balance) under the latest id, so the client's Last-Event-ID stays meaningful.
   */
  attach(wsId: string, who: { tokenHash: string; memberId: string }, res: Response, lastEventId: string | undefined, initial: { event: StreamEventName; data: unknown }): void {
    const c = this.channel(wsId);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    const since = this.parseId(lastEventId);
    if (since !== null) {
      for (const f of c.frames) if (f.n > since) res.write(Hub.format(this.id(f.n), f));
    }
    res.write(Hub.format(this.id(c.n), { n: c.n, ...initial }));
    const client: StreamClient = { res, ...who };
    c.clients.add(client);
    res.on('close', () => c.clients.delete(client));
  }

  /** Streams a token opened in a workspace (to cap them per token). */
  streamsOf(wsId: string, tokenHash: string): number {
    let n = 0;
    for (const client of this.channels.get(wsId)?.clients ?? []) if (client.tokenHash === tokenHash) n++;
    return n;
  }

  /** Ends the streams matching `pred`: a revoked token or a removed member stops receiving at once. */
  disconnect(wsId: string, pred: (c: StreamClient) => boolean): void {
    const c = this.channels.get(wsId);
    if (!c) return;
    for (const client of [...c.clients]) {
      if (pred(client)) {
        c.clients.delete(client);
        client.res.end();
      }
    }
  }

  private send(c: Channel, client: StreamClient, text: string): void {
    if (client.res.writableLength > MAX_BUFFERED_BYTES) {
      c.clients.delete(client);
      client.res.destroy();
      return;
    }
    client.res.write(text);
  }

  /** The frame number after which to replay, or null if the id is from another boot or too old to replay. */
  private parseId(lastEventId: string | undefined): number | null {
    if (!lastEventId) return null;
    const m = /^(.+)-(\d+)$/.exec(lastEventId);
    if (!m || m[1] !== this.opts.boot) return null;
    return Number(m[2]);
  }

  private beat(): void {
    for (const c of this.channels.values()) for (const client of c.clients) this.send(c, client, `: heartbeat\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.channels.values()) for (const client of c.clients) client.res.end();
  }
}
