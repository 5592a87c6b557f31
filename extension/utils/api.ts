// The Creditwatch server's API, as the extension uses it. Every reply is validated; errors carry the
// problem+json detail so the options page can say what went wrong.
import * as z from 'zod/mini';
import { balanceReplySchema } from '../../shared/schemas/balance';
import { patternPackSchema } from '../../shared/readers/pack';
import type { UsageEvent } from '../../shared/schemas/events';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  /** Worth retrying later: the server is down, overloaded or rate-limiting. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const pairReplySchema = z.object({
  token: z.string(),
  workspace: z.object({ id: z.string(), name: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), role: z.string() }),
});
const ingestReplySchema = z.object({ accepted: z.number(), duplicates: z.number() });
const usageReplySchema = z.object({ rows: z.array(z.object({ key: z.string(), credits: z.number(), calls: z.number() })), total: z.object({ credits: z.number(), calls: z.number() }) });
export type UsageReply = z.infer<typeof usageReplySchema>;
const pricesReplySchema = z.object({ overrides: z.optional(z.record(z.string(), z.nullable(z.object({ credits: z.number(), note: z.optional(z.string()) })))) });

type Fetch = typeof fetch;

async function call<T>(f: Fetch, url: string, init: RequestInit, schema: z.ZodMiniType<T>, timeoutMs = 15_000): Promise<T> {
  let res: Response;
  try {
    res = await f(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new ApiError(0, `server unreachable (${(e as Error).name === 'TimeoutError' ? 'timed out' : 'network error'})`);
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const p = body as { title?: string; detail?: string } | undefined;
    throw new ApiError(res.status, `${res.status} ${p?.detail ?? p?.title ?? res.statusText}`.trim());
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(502, 'the server sent a reply this extension does not understand');
  return parsed.data;
}

export function pair(server: string, code: string, deviceName: string, f: Fetch = fetch) {
  return call(f, `${server}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName }) }, pairReplySchema);
}

export function createApi(server: string, token: string, wsId: string, f: Fetch = fetch) {
  const auth = { authorization: `Bearer ${token}` };
  const ws = `${server}/api/v1/workspaces/${encodeURIComponent(wsId)}`;
  const get = <T>(path: string, schema: z.ZodMiniType<T>) => call(f, `${ws}${path}`, { headers: auth }, schema);
  const post = <T>(path: string, body: unknown, schema: z.ZodMiniType<T>) =>
    call(f, `${ws}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) }, schema);
  return {
    postEvents: (events: UsageEvent[]) => post('/events', { events }, ingestReplySchema),
    balance: () => get('/balance', balanceReplySchema),
    usage: (q: Record<string, string>) => get(`/usage?${new URLSearchParams(q)}`, usageReplySchema),
    prices: () => get('/prices', pricesReplySchema),
    alertAction: (alertId: string, snoozeMinutes?: number) =>
      post(`/alerts/${encodeURIComponent(alertId)}/ack`, snoozeMinutes ? { snoozeMinutes } : {}, z.unknown()),
    members: () => get('/members', z.object({ members: z.array(z.object({ id: z.string(), name: z.string() })) })),
    apps: () => get('/apps', z.object({ apps: z.array(z.object({ id: z.string(), name: z.optional(z.string()) })) })),
    revokeToken: () => call(f, `${server}/api/v1/me/token`, { method: 'DELETE', headers: auth }, z.unknown()),
    postReading: (r: { pool: string; remaining: number; limit?: number; used?: number; at: string; source: 'page' | 'manual'; exact: boolean }) => post('/readings', r, z.unknown()),
    proposals: () => get('/prices/proposals', z.object({ proposals: z.array(z.object({ action: z.string(), current: z.number(), proposed: z.number(), calls: z.number(), intervals: z.number(), confidence: z.string(), reason: z.string() })) })),
    proposalAction: (action: string, decision: 'accept' | 'dismiss', proposed: number) => post(`/prices/proposals/${encodeURIComponent(action)}/${decision}`, { proposed }, z.unknown()),
    patternPack: () => get('/pattern-pack', patternPackSchema),
    streamUrl: () => `${ws}/stream`,
    authHeader: auth,
  };
}
export type Api = ReturnType<typeof createApi>;
