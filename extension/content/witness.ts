// The editor's second witness (base44-facts §3): inside the editor, the preview iframe's SDK posts
// `{type: "api-request-start", requestId, data: {url, method, body}}` and, on success only,
// `{type: "api-request-end", requestId, data: {statusCode, response}}` to the editor window. We read the URL,
// method, status and the reply's cost fields — never `body` or the rest of `response` — and only from a
// preview-sandbox origin. These reports carry via "witness"; the background counts one only if our own hook
// in the iframe did not report the same call.
import { classifyCall } from '../../shared/base44/classify';
import { replyMeta } from '../../shared/base44/reply-meta';
import type { CallReport } from '../../shared/messages';
import { keyOf } from './key';
import { callReport } from './report';

const PREVIEW_ORIGIN = /^https:\/\/preview-sandbox--[A-Za-z0-9_-]{1,64}\.base44\.app$/;
const MAX_OPEN = 500;

interface WitnessDeps {
  newId: () => string;
  now: () => number;
  report: (r: CallReport) => void;
  flowFor: (start: number, end: number) => string;
}

export function listenForWitness(win: Window, d: WitnessDeps): void {
  const open = new Map<string, { url: string; method: string; start: number }>();
  win.addEventListener('message', (e: MessageEvent) => {
    if (!PREVIEW_ORIGIN.test(e.origin)) return;
    const m = e.data as { type?: unknown; requestId?: unknown; data?: { url?: unknown; method?: unknown; statusCode?: unknown; response?: unknown } } | null;
    if (!m || typeof m !== 'object' || typeof m.requestId !== 'string' || m.requestId.length > 100) return;
    if (m.type === 'api-request-start') {
      const url = m.data?.url;
      const method = m.data?.method;
      if (typeof url !== 'string' || typeof method !== 'string' || url.length > 2048) return;
      if (open.size >= MAX_OPEN) open.delete(open.keys().next().value!);
      open.set(m.requestId, { url: url.split(/[?#]/, 1)[0], method, start: d.now() });
    } else if (m.type === 'api-request-end') {
      const started = open.get(m.requestId);
      open.delete(m.requestId);
      const status = m.data?.statusCode;
      if (!started || typeof status !== 'number') return;
      const pageUrl = `${e.origin}/`;
      const c = classifyCall({ url: started.url, method: started.method, status, pageUrl, reply: replyMeta(m.data?.response) });
      if (!c) return;
      d.report(callReport(c, { id: d.newId(), start: started.start, flowId: d.flowFor(started.start, d.now()), repeat: false, via: 'witness', key: keyOf(started.method, started.url, pageUrl) }));
    }
  });
}
