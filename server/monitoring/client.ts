// One request to Base44's Monitoring API: GET {baseUrl}/api/v1/monitoring/analytics/{workspace_id} with the
// `api_key` header. Says what happened as a small outcome and never throws. The key is only ever a header
// value here: no outcome, log line or error carries it, the reply's text, or a library's message (which can
// quote headers or URLs). Redirects are not followed: fetch would carry the key header to the new host.
import { networkCode, parseRetryAfter } from '../channels/send';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type MonitoringOutcome =
  | { kind: 'ok'; json: unknown }
  /** 429 (Base44 answers a bare one at ~50 requests/min); retryAfterMs from Retry-After, seconds or a date. */
  | { kind: 'rate_limited'; retryAfterMs?: number }
  | { kind: 'http'; status: number }
  /** A 2xx whose body is not JSON (or is too large to be an analytics reply). */
  | { kind: 'malformed' }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string }
  /** The server is stopping. */
  | { kind: 'aborted' };

export interface MonitoringRequest {
  baseUrl: string;
  workspaceId: string;
  apiKey: string;
  fetch: FetchLike;
  timeoutMs: number;
  /** Aborted when the server stops. */
  signal: AbortSignal;
  /** For Retry-After dates. */
  now: () => number;
}

const MAX_BODY = 1024 * 1024;

export function analyticsUrl(baseUrl: string, workspaceId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/monitoring/analytics/${encodeURIComponent(workspaceId)}`;
}

export async function requestAnalytics(r: MonitoringRequest): Promise<MonitoringOutcome> {
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = AbortSignal.any([timeout, r.signal]);
  try {
    const res = await r.fetch(analyticsUrl(r.baseUrl, r.workspaceId), {
      method: 'GET',
      headers: { api_key: r.apiKey, accept: 'application/json', 'user-agent': 'Creditwatch' },
      redirect: 'manual',
      signal,
    });
    if (res.status === 429) {
      void res.body?.cancel().catch(() => {});
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), r.now());
      return retryAfterMs === undefined ? { kind: 'rate_limited' } : { kind: 'rate_limited', retryAfterMs };
    }
    if (res.status < 200 || res.status >= 300) {
      void res.body?.cancel().catch(() => {});
      return { kind: 'http', status: res.status };
    }
    const text = await readLimited(res);
    if (text === null) return { kind: 'malformed' };
    try {
      return { kind: 'ok', json: JSON.parse(text) };
    } catch {
      return { kind: 'malformed' };
    }
  } catch (e) {
    if (r.signal.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'timeout' };
    return { kind: 'network', code: networkCode(e) };
  }
}

/** The body as text, or null past MAX_BODY. Read errors (a cut connection, the timeout) propagate. */
async function readLimited(res: Response): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY) return null;
      chunks.push(value);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}
