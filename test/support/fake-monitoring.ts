// A fake of Base44's Enterprise Monitoring API on 127.0.0.1 (a real HTTP server, loopback only):
// GET /api/v1/monitoring/analytics/{workspace_id} with an `api_key` header. It answers what a test scripts per
// workspace (a queue of replies, the last one repeating) and records every request with the test's fake clock.
// The reply bodies are fixtures the tests write: Base44's real field names under `credit_pool` are unconfirmed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  status?: number;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface FakeHit {
  workspaceId: string;
  apiKey?: string;
  /** The test's fake clock when the request arrived. */
  at: number;
}

export interface FakeMonitoring {
  url: string;
  hits: FakeHit[];
  /** The key this workspace accepts (other keys: 401). Unset: any key. */
  keys: Map<string, string>;
  script(workspaceId: string, ...replies: FakeReply[]): void;
  close(): Promise<void>;
}

/** `now`: the test's fake clock (read at each request, so a test may restart its server with a new clock). */
export async function startFakeMonitoring(now: () => number): Promise<FakeMonitoring> {
  const scripts = new Map<string, FakeReply[]>();
  const hits: FakeHit[] = [];
  const keys = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const m = /^\/api\/v1\/monitoring\/analytics\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    const workspaceId = decodeURIComponent(m[1]);
    const apiKey = typeof req.headers.api_key === 'string' ? req.headers.api_key : undefined;
    hits.push({ workspaceId, apiKey, at: now() });
    const want = keys.get(workspaceId);
    if (want !== undefined && apiKey !== want) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"invalid api key"}');
      return;
    }
    const queue = scripts.get(workspaceId) ?? [];
    const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 404, body: { detail: 'workspace not found' } };
    if (reply.hang) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    keys,
    script: (workspaceId, ...replies) => void scripts.set(workspaceId, replies),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
