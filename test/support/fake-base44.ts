// Test support: a fake Base44 for real-browser tests. Owns one HTTPS server (throwaway self-signed cert) that
// plays every Base44 host by its Host header: published apps (<slug>.base44.app), the editor preview iframe
// (preview-sandbox--<appId>.base44.app), the editor (app.base44.com) and the API (/api/... on every host),
// plus /t/* transport probes for page-hook transparency tests. It records every API request and raw body,
// and bundles the app page script (test/e2e/fixtures/app-page.ts, the real @base44/sdk) once per run.
// Chromium reaches it through --host-resolver-rules (fake.hostRules). Loopback only.
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import { generate } from 'selfsigned';
import { build } from 'esbuild';
import { repoRoot } from './server';

export const DEFAULT_APP_ID = '698fc81203f85a20f281d9dc';
/** Exactly what Base44 answers (HTTP 402) when the integration credits of the month are used up. */
export const OUT_OF_CREDITS_BODY = '{"message":"You have reached the limit of integrations for this month","extra_data":{"reason":"integration_credits_limit_reached"}}';

/**
 * Playwright launches Chromium with `--disable-features=...,ThirdPartyStoragePartitioning,...`. With partitioning
 * off and third-party cookies blocked (Chromium 156's default here), the editor's cross-site preview iframe may not
 * touch localStorage, and the real SDK then throws inside createClient (it reads `window.localStorage` outside
 * a try). Real Chrome partitions third-party storage, so the SDK works there. A later `--disable-features` replaces
 * Playwright's list (last one wins), so this is Playwright's list minus ThirdPartyStoragePartitioning.
 */
export const STORAGE_PARTITIONING_ARG = '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,'
  + 'HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,AvoidCorsURLLoaderRestartOnRedirect,'
  + 'OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch';

export interface MultipartPart { name: string; filename?: string; contentType?: string; bytes: number }

export interface FakeRequest {
  host: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string. */
  url: string;
  contentType: string;
  bodyBytes: number;
  at: number;
  headers: IncomingHttpHeaders;
  /** Multipart bodies only: one entry per field. */
  parts?: MultipartPart[];
}

export interface FakeBase44Options {
  /** Published apps: slug → app id. Default `{ myapp: DEFAULT_APP_ID }`. */
  apps?: Record<string, string>;
  /** `credits_charged` in connector replies. Default 2. */
  connectorCredits?: number;
  outOfCredits?: boolean;
}

export interface FakeBase44 {
  port: number;
  /** For Chromium's `--host-resolver-rules`. */
  hostRules: string;
  /** Everything Chromium needs for this fake: host rules, accept its certificate, STORAGE_PARTITIONING_ARG. */
  chromiumArgs: string[];
  /** The server's certificate (PEM), for Node clients that want to trust it. */
  cert: string;
  apps: Record<string, string>;
  /** Every /api/* and /t/* request, in arrival order; `bodies[i]` is the raw body of `requests[i]`. */
  requests: FakeRequest[];
  bodies: Buffer[];
  /** Billed routes answer 402 with OUT_OF_CREDITS_BODY while true. */
  outOfCredits: boolean;
  connectorCredits: number;
  /** True when some recorded body contains `needle` (the canary check). */
  received(needle: string): boolean;
  waitForRequest(pred: (r: FakeRequest) => boolean, timeoutMs?: number): Promise<FakeRequest>;
  reset(): void;
  close(): Promise<void>;
}

let bundle: Promise<string> | undefined;
/** The app page script: test/e2e/fixtures/app-page.ts with the real SDK, bundled once per process. */
export function bundleAppPage(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(repoRoot, 'test/e2e/fixtures/app-page.ts')],
    bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', write: false, logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((r) => r.outputFiles[0].text);
  bundle.catch(() => (bundle = undefined)); // a failed build is retried by the next caller
  return bundle;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;
function throwawayCert() {
  certificate ??= generate([{ name: 'commonName', value: 'base44.app' }], {
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [
        { type: 2, value: '*.base44.app' }, { type: 2, value: 'base44.app' }, { type: 2, value: 'app.base44.com' }, { type: 7, ip: '127.0.0.1' },
      ] },
    ],
  }).then((p) => ({ key: p.private, cert: p.cert }));
  return certificate;
}

/** Field names and sizes of a multipart/form-data body (enough to tell a File went out, not a full parser). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return [];
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length + 2; // skip CRLF (or the "--" of the closing delimiter)
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // content ends with CRLF before the next delimiter
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd >= 0) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
      parts.push({ name, ...(filename !== undefined ? { filename } : {}), ...(type ? { contentType: type } : {}), bytes: part.length - headEnd - 4 });
    }
    at = next;
  }
  return parts;
}

type Site = { kind: 'app' | 'preview'; appId: string } | { kind: 'editor' | 'api' } | { kind: 'unknown-app'; slug: string };

function siteOf(hostHeader: string | undefined, apps: Record<string, string>): Site {
  const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  if (host === 'app.base44.com') return { kind: 'editor' };
  const preview = /^preview-sandbox--([0-9a-f]{24})\.base44\.app$/.exec(host);
  if (preview) return { kind: 'preview', appId: preview[1] };
  const app = /^([a-z0-9-]+)\.base44\.app$/.exec(host);
  if (app) return apps[app[1]] ? { kind: 'app', appId: apps[app[1]] } : { kind: 'unknown-app', slug: app[1] };
  return { kind: 'api' }; // base44.app itself, or 127.0.0.1 from Node
}

const appHtml = (appId: string) => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="app-id" content="${appId}"><title>My Base44 App</title></head>
<body><h1>My Base44 App</h1>
<label>Canary <input id="canary" value="CANARY-BUTTON"></label>
<p>${['invoke-llm', 'send-email', 'upload-file', 'agent-message', 'connector-call', 'all-five', 'loop'].map((id) => `<button id="${id}">${id}</button>`).join(' ')}</p>
<pre id="out"></pre>
<script src="/assets/app.js"></script></body></html>`;

/** What the fake editor's credit panel shows at load, and what one simulated prompt costs. */
export const editorCredits: { message: number; integration?: number; promptCost: number } = { message: 12.5, promptCost: 1.5 };

const editorHtml = (appId: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>My Base44 App | Base44</title></head>
<body style="margin:0"><header id="editor-header"><strong>My Base44 App</strong> <span>Preview</span> <span id="editor-app-id">${appId}</span>
<!-- A credit panel like the one the Base44 logo opens. Its markup is ours: Base44's real DOM is not public. -->
<div class="credits-panel" data-testid="credit-panel"><span id="msg-credits">${editorCredits.message} message credits left</span> ·
${editorCredits.integration === undefined ? '' : `<span id="int-credits">${editorCredits.integration.toLocaleString('en-US')} integration credits left</span>`}</div>
<div class="credits-used" id="credits-used"></div>
<button id="prompt">Send prompt</button></header>
<script>
  // A simulated prompt: the panel's numbers drop after the AI answers, and More Actions shows its cost.
  document.getElementById('prompt').addEventListener('click', () => setTimeout(() => {
    const el = document.getElementById('msg-credits');
    const now = parseFloat(el.textContent) - ${editorCredits.promptCost};
    el.textContent = now + ' message credits left';
    document.getElementById('credits-used').textContent = 'Credits Used: ${editorCredits.promptCost}';
  }, 300));
</script>
<iframe id="preview" src="https://preview-sandbox--${appId}.base44.app/" style="width:100%;height:80vh;border:0"></iframe></body></html>`;

/** Replies of the billed Core endpoints, shaped like Base44's. */
function coreReply(endpoint: string, appId: string, parts: MultipartPart[] | undefined): unknown {
  const file = parts?.find((p) => p.filename !== undefined)?.filename ?? 'file';
  switch (endpoint) {
    case 'InvokeLLM': return 'This is a fake LLM answer.';
    case 'SendEmail': return { success: true };
    case 'UploadFile': return { file_url: `https://base44.app/api/apps/${appId}/files/public/${appId}/${encodeURIComponent(file)}` };
    case 'UploadPrivateFile': return { file_uri: `private/${appId}/${encodeURIComponent(file)}` };
    case 'CreateFileSignedUrl': return { signed_url: `https://base44.app/signed/${appId}/file?sig=fake` };
    case 'GenerateImage': return { url: `https://base44.app/api/apps/${appId}/files/public/${appId}/image.png` };
    case 'ExtractDataFromUploadedFile': return { status: 'success', details: null, output: {} };
    default: return { ok: true };
  }
}

export async function startFakeBase44(opts: FakeBase44Options = {}): Promise<FakeBase44> {
  const [{ key, cert }] = await Promise.all([throwawayCert(), bundleAppPage()]);
  const requests: FakeRequest[] = [];
  const bodies: Buffer[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;
  const id = (prefix: string) => `${prefix}${(++seq).toString(16).padStart(6, '0')}`;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(['/api', '/t'], express.raw({ type: () => true, limit: '50mb' }), (req, res, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = req.headers['content-type'] ?? '';
    const parts = /^multipart\/form-data/i.test(contentType) ? parseMultipart(body, contentType) : undefined;
    requests.push({
      host: (req.headers.host ?? '').replace(/:\d+$/, ''), method: req.method, path: req.originalUrl.split('?')[0], url: req.originalUrl,
      contentType, bodyBytes: body.length, at: Date.now(), headers: req.headers, ...(parts ? { parts } : {}),
    });
    bodies.push(body);
    res.locals.body = body;
    res.locals.parts = parts;
    for (const wake of waiters) wake();
    next();
  });

  const billed = (handler: (req: Request, res: Response) => unknown) => (req: Request, res: Response) => {
    if (fake.outOfCredits) return void res.status(402).type('application/json').send(OUT_OF_CREDITS_BODY);
    return handler(req, res);
  };
  const jsonBody = (res: Response): Record<string, unknown> => {
    try {
      const v = JSON.parse((res.locals.body as Buffer).toString('utf8'));
      return v && typeof v === 'object' ? v : {};
    } catch {
      return {};
    }
  };
  const p = (req: Request, name: string) => String(req.params[name]);

  // --- API (every host) ---
  app.get('/api/apps/public/prod/public-settings/by-id/:appId', (req, res) => {
    res.json({ id: p(req, 'appId'), public_settings: { requires_auth: false, auth_config: {} } });
  });
  app.post('/api/apps/:appId/integration-endpoints/Core/:endpoint', billed((req, res) => {
    res.json(coreReply(p(req, 'endpoint'), p(req, 'appId'), res.locals.parts as MultipartPart[] | undefined));
  }));
  app.post('/api/apps/:appId/integration-endpoints/installable/:pkg/integration-endpoints/:endpoint', billed((_req, res) => {
    res.json({ ok: true });
  }));
  app.post('/api/apps/:appId/integrations/custom/:slug/:operationId', billed((_req, res) => {
    res.json({ success: true, status_code: 200, data: { ok: true } });
  }));
  app.post('/api/apps/:appId/connectors/:type/call', billed((_req, res) => {
    res.json({ success: true, phase: 'sent', status_code: 200, data: { ok: true }, data_base64: null, content_type: 'application/json', headers: {}, credits_charged: fake.connectorCredits });
  }));
  app.post('/api/apps/:appId/agents/conversations', (req, res) => {
    res.json({ id: id('conv_'), app_id: p(req, 'appId'), agent_name: jsonBody(res).agent_name ?? 'agent', messages: [], metadata: jsonBody(res).metadata ?? {} });
  });
  app.get('/api/apps/:appId/agents/conversations', (_req, res) => void res.json([]));
  app.get('/api/apps/:appId/agents/conversations/:conv', (req, res) => void res.json({ id: p(req, 'conv'), messages: [] }));
  app.post('/api/apps/:appId/agents/conversations/v2/:conv/messages', billed((_req, res) => {
    const now = new Date().toISOString();
    res.json({ id: id('msg_'), role: 'assistant', content: 'This is a fake agent answer.', created_date: now, updated_date: now, usage: { prompt_tokens: 12, completion_tokens: 30 } });
  }));
  app.post('/api/apps/:appId/ai/{*rest}', billed((_req, res) => {
    // `stream: true` answers as OpenAI does, server-sent chunks 100 ms apart (the page hook must not buffer them).
    if (jsonBody(res).stream === true) {
      res.set('x-test', 'stream').type('text/event-stream');
      let i = 0;
      const tick = () => {
        res.write(`data: {"choices":[{"delta":{"content":"part${++i}"}}]}\n\n`);
        if (i < 3) setTimeout(tick, 100);
        else res.end('data: [DONE]\n\n');
      };
      return void tick();
    }
    res.json({ id: id('chatcmpl_'), object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'fake' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } });
  }));
  app.get('/api/apps/:appId/entities/User/me', (req, res) => {
    if (!req.headers.authorization) return void res.status(401).json({ message: 'You must be logged in to access this resource' });
    res.json({ id: 'user_1', email: 'user@example.com', full_name: 'Test User', role: 'user' });
  });
  app.get('/api/apps/:appId/entities/:name', (_req, res) => void res.json([]));
  app.post('/api/apps/:appId/entities/:name', (_req, res) => void res.json({ id: id('rec_'), ...jsonBody(res) }));
  app.all('/api/apps/:appId/entities/{*rest}', (_req, res) => void res.json({}));
  app.post('/api/apps/:appId/analytics/track/batch', (_req, res) => void res.json({}));
  app.all('/api/app-logs/{*rest}', (_req, res) => void res.json({}));
  app.all('/api/{*rest}', (_req, res) => void res.status(404).json({ message: 'Not found (fake Base44)' }));

  // --- transport probes for the page hook ---
  app.get('/t/json', (_req, res) => void res.set('x-test', '1').json({ ok: true, n: 1 }));
  app.get('/t/stream', (_req, res) => {
    res.type('text/plain');
    let i = 0;
    const tick = () => {
      res.write(`chunk${++i}\n`);
      if (i < 3) setTimeout(tick, 100);
      else res.end();
    };
    tick();
  });
  app.get('/t/slow', (req, res) => {
    const ms = Math.min(Number(req.query.ms) || 0, 30_000);
    setTimeout(() => res.json({ waited: ms }), ms);
  });
  app.get('/t/status/:code', (req, res) => {
    const code = Number(req.params.code);
    if (code === 204 || code === 304) return void res.status(code).end();
    res.status(code).json({ status: code });
  });
  app.post('/t/echo', (req, res) => {
    res.status(200).type(req.headers['content-type'] ?? 'application/octet-stream').send(res.locals.body);
  });
  app.all('/t/close', (req) => void req.socket.destroy());

  // --- pages, by host ---
  app.get('/{*rest}', async (req, res) => {
    if (req.path === '/favicon.ico') return void res.status(204).end(); // keeps 404s out of the console
    const site = siteOf(req.headers.host, fake.apps);
    if (site.kind === 'app' || site.kind === 'preview') {
      if (req.path === '/assets/app.js') return void res.type('text/javascript').send(await bundleAppPage());
      return void res.type('html').send(appHtml(site.appId)); // SPA: every other path is the app
    }
    const editor = site.kind === 'editor' && /^\/apps\/([0-9a-f]{24})\/editor(\/|$)/.exec(req.path);
    if (editor) return void res.type('html').send(editorHtml(editor[1]));
    res.status(404).type('html').send(site.kind === 'unknown-app' ? `<h1>App "${site.slug}" not found</h1>` : '<h1>Not found</h1>');
  });

  const server: Server = createServer({ key, cert }, app);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const hostRules = `MAP *.base44.app 127.0.0.1:${port}, MAP app.base44.com 127.0.0.1:${port}, MAP base44.app 127.0.0.1:${port}`;

  const fake: FakeBase44 = {
    port,
    hostRules,
    chromiumArgs: [`--host-resolver-rules=${hostRules}`, '--ignore-certificate-errors', STORAGE_PARTITIONING_ARG],
    cert,
    apps: { ...(opts.apps ?? { myapp: DEFAULT_APP_ID }) },
    requests,
    bodies,
    outOfCredits: opts.outOfCredits ?? false,
    connectorCredits: opts.connectorCredits ?? 2,
    received: (needle) => bodies.some((b) => b.includes(needle)),
    waitForRequest(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Base44: no matching request within ${timeoutMs} ms; saw ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`));
        }, timeoutMs);
        const check = () => {
          const hit = requests.find(pred);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        if (!check()) waiters.add(check);
      });
    },
    reset() {
      requests.length = 0;
      bodies.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}
