// Test support for alert delivery: real receivers on 127.0.0.1 (an HTTP webhook receiver that verifies Standard
// Webhooks signatures with the reference `standardwebhooks` package, an SMTP server, a TCP black hole), checkers
// for the Slack and Discord payload shapes their docs describe, a small MIME reader, and a complete sample Alert.
// Receivers can be switched at runtime (status, hang, down/up on the same port) for retry and crash tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { SMTPServer } from 'smtp-server';
import type { Alert, DeliveryMessage } from '../../shared/schemas/alerts';

// ---------------------------------------------------------------------------------------------------------
// Fixtures

/** An alert with every field of the Alert interface set (optional ones too). */
export function sampleAlert(over: Partial<Alert> = {}): Alert {
  const full: Required<Alert> = {
    id: 'al_3f9c2d7e1a',
    ruleId: 'rule_int_80',
    ruleName: 'Integration credits 80%',
    key: 'rule_int_80|pool:integration:workspace|percent_used:80|2026-11-01T09:00:00.000Z',
    kind: 'integration',
    holder: 'workspace',
    appId: 'app_shop',
    memberId: 'ann',
    condition: 'percent_used',
    threshold: 80,
    severity: 'critical',
    title: 'Integration credits 80% used',
    detail: '1,950 of 10,000 left; resets in 6 days (Dec 1). At 410/day they run out Nov 29, 2 days before the reset. Most in the last 24 h: app Shop (320), Ann (300), Core.InvokeLLM (280).',
    pool: {
      remaining: 1950,
      limit: 10000,
      used: 8050,
      exact: true,
      resetAt: '2026-12-01T09:00:00.000Z',
      forecast: { perDay: 410, runOutAt: '2026-11-29T14:00:00.000Z', beforeReset: true },
    },
    window: { from: '2026-11-24T09:30:00.000Z', to: '2026-11-25T09:30:00.000Z' },
    top: {
      apps: [
        { key: 'app_shop', credits: 320, calls: 160, label: 'Shop' },
        { key: 'app_crm', credits: 12.5, calls: 41, label: 'CRM & <Leads>' },
        { key: '(none)', credits: 3, calls: 3 },
      ],
      members: [
        { key: 'ann', credits: 300, calls: 150, label: 'Ann' },
        { key: 'bob', credits: 140, calls: 50 },
      ],
      actions: [
        { key: 'Core.InvokeLLM', credits: 280, calls: 140 },
        { key: 'Core.SendEmail', credits: 2, calls: 1 },
      ],
    },
    firedAt: '2026-11-25T09:30:00.000Z',
    resolvedAt: '2026-11-25T11:00:00.000Z',
    resolvedBecause: 'a top-up of 5,000 credits brought usage under 80%',
    acks: [{ memberId: 'ann', at: '2026-11-25T09:35:00.000Z' }],
    snoozes: [{ memberId: 'bob', until: '2026-11-25T13:30:00.000Z' }],
    channels: ['ch_ops_0001'],
  };
  return { ...full, ...over };
}

export const sampleWorkspace = { id: 'ws_acme_0001', name: 'Acme' };

export const firedMessage = (alert: Alert = sampleAlert({ resolvedAt: undefined, resolvedBecause: undefined })): DeliveryMessage => ({
  type: 'alert',
  alert,
  workspace: sampleWorkspace,
});
export const resolvedMessage = (alert: Alert = sampleAlert()): DeliveryMessage => ({ type: 'alert.resolved', alert, workspace: sampleWorkspace });
export const testMessage = (at = '2026-11-25T09:30:00.000Z'): DeliveryMessage => ({ type: 'test', workspace: sampleWorkspace, at });

/** Resolves when `check()` is true, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP webhook receiver

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The raw body, exactly as received (what the signature covers). */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** With a secret: whether `standardwebhooks` verified the request. */
  verified?: boolean;
  verifyError?: string;
  /** The status this request was answered with (undefined while hanging). */
  status?: number;
  at: number;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port><path> */
  url: string;
  port: number;
  /** Every request, in arrival order (also those answered with an error). */
  requests: ReceivedRequest[];
  /** Requests answered 2xx (and verified, with a secret). */
  readonly delivered: ReceivedRequest[];
  /** The distinct webhook-id values of delivered requests, in first-arrival order (dedupe as a receiver should). */
  deliveredIds(): string[];
  /** Answer with this status (and body) from now on. */
  setStatus(status: number, body?: string, headers?: Record<string, string>): void;
  /** Answer the next requests with these statuses, then fall back to setStatus's. */
  queueStatuses(...statuses: number[]): void;
  /** Accept requests and never answer them (until turned off or closed). */
  setHang(on: boolean): void;
  /** Stop listening and drop open connections: new attempts get "connection refused". */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  readonly isUp: boolean;
  /** Resolves with the requests once at least `n` arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** Verify every request with `new Webhook(secret).verify(...)`; unverifiable ones get 401. */
  secret?: string;
  /** Default 200 (Slack answers 200 "ok", Discord 204; both are fine). */
  status?: number;
  body?: string;
  /** Path in the returned url; default "/hook". */
  path?: string;
  /** Listen on this port (default: any free one). */
  port?: number;
}

export async function startWebhookReceiver(opts: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let status = opts.status ?? 200;
  let replyBody = opts.body ?? 'ok';
  let replyHeaders: Record<string, string> = {};
  const queued: number[] = [];
  let hang = false;
  const hanging = new Set<ServerResponse>();
  const verifier = opts.secret ? new Webhook(opts.secret) : undefined;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const rec: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers, body, at: Date.now() };
      try {
        rec.json = JSON.parse(body);
      } catch {
        // not JSON
      }
      if (verifier) {
        try {
          verifier.verify(body, {
            'webhook-id': headers['webhook-id'] ?? '',
            'webhook-timestamp': headers['webhook-timestamp'] ?? '',
            'webhook-signature': headers['webhook-signature'] ?? '',
          });
          rec.verified = true;
        } catch (e) {
          rec.verified = false;
          rec.verifyError = e instanceof Error ? e.message : String(e);
        }
      }
      requests.push(rec);
      if (hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const code = rec.verified === false ? 401 : (queued.shift() ?? status);
      rec.status = code;
      res.writeHead(code, { 'content-type': 'text/plain', ...(code === status ? replyHeaders : {}) });
      res.end(code === 401 && rec.verified === false ? 'invalid signature' : code === status ? replyBody : `status ${code}`);
    });
  };

  let server: Server = createServer(handler);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const port = await listen(opts.port ?? 0);
  let up = true;
  const path = opts.path ?? '/hook';
  const ok = (r: ReceivedRequest) => r.status !== undefined && r.status >= 200 && r.status < 300;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    get delivered() {
      return requests.filter(ok);
    },
    deliveredIds() {
      const ids: string[] = [];
      for (const r of requests) if (ok(r) && r.headers['webhook-id'] && !ids.includes(r.headers['webhook-id'])) ids.push(r.headers['webhook-id']);
      return ids;
    },
    setStatus(s, body, headers) {
      status = s;
      if (body !== undefined) replyBody = body;
      replyHeaders = headers ?? {};
    },
    queueStatuses(...s) {
      queued.push(...s);
    },
    setHang(on) {
      hang = on;
    },
    async down() {
      if (!up) return;
      up = false;
      await stop();
    },
    async up() {
      if (up) return;
      server = createServer(handler);
      await listen(port);
      up = true;
    },
    get isUp() {
      return up;
    },
    async waitFor(n, timeoutMs = 5000) {
      await waitUntil(() => requests.length >= n, timeoutMs, `${n} webhook request(s)`);
      return requests;
    },
    async close() {
      if (!up) return;
      up = false;
      await stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// SMTP receiver

export interface ReceivedMail {
  /** Envelope MAIL FROM and RCPT TO. */
  from: string;
  to: string[];
  /** The authenticated user, when the client logged in. */
  user?: string;
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpReceiver {
  host: '127.0.0.1';
  port: number;
  messages: ReceivedMail[];
  /** RCPT TO for these addresses is refused with 550. */
  rejectRecipients: Set<string>;
  /** Refuse MAIL FROM with this SMTP code (e.g. 451 transient, 554 permanent); null to accept again. */
  failWith(code: number | null): void;
  down(): Promise<void>;
  up(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** Require AUTH with these credentials (PLAIN/LOGIN over plain TCP: loopback only). */
  auth?: { user: string; pass: string };
  port?: number;
}

export async function startSmtp(opts: SmtpOptions = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  let failCode: number | null = null;
  const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

  const make = () =>
    new SMTPServer({
      authOptional: !opts.auth,
      disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 100,
      onAuth(auth, _session, cb) {
        if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
        else cb(smtpError('Invalid username or password', 535));
      },
      onMailFrom(_address, _session, cb) {
        if (failCode !== null) cb(smtpError(failCode >= 500 ? 'Mailbox unavailable' : 'Try again later', failCode));
        else cb();
      },
      onRcptTo(address, _session, cb) {
        if (rejectRecipients.has(address.address.toLowerCase())) cb(smtpError('No such user here', 550));
        else cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = parseMail(raw);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const user = typeof session.user === 'string' ? session.user : undefined;
          messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), ...(user ? { user } : {}), raw, ...mail });
          cb();
        });
      },
    });

  let server = make();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const port = await listen(opts.port ?? 0);
  let up = true;
  return {
    host: '127.0.0.1',
    port,
    messages,
    rejectRecipients,
    failWith(code) {
      failCode = code;
    },
    async down() {
      if (!up) return;
      up = false;
      await stop();
    },
    async up() {
      if (up) return;
      server = make();
      await listen(port);
      up = true;
    },
    async waitFor(n, timeoutMs = 5000) {
      await waitUntil(() => messages.length >= n, timeoutMs, `${n} email(s)`);
      return messages;
    },
    async close() {
      if (!up) return;
      up = false;
      await stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// TCP black hole: accepts connections and never says a word (an SMTP server that never greets, a stuck proxy)

export interface BlackHole {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// A small MIME reader: enough for what nodemailer writes (multipart/alternative, quoted-printable or base64
// parts, RFC 2047 encoded-word headers).

function splitHead(raw: string): { head: Record<string, string>; body: string } {
  const i = raw.search(/\r?\n\r?\n/);
  const headText = i < 0 ? raw : raw.slice(0, i);
  const body = i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
  const head: Record<string, string> = {};
  for (const line of headText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (m) head[m[1].toLowerCase()] = m[2];
  }
  return { head, body };
}

function decodeBytes(text: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const soft = text.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return text;
}

/** RFC 2047: "=?UTF-8?Q?Resolved=3A_x?=" → "Resolved: x"; adjacent encoded words join without the space. */
export function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeBytes(data.replace(/_/g, ' '), 'quoted-printable'),
    );
}

function collectParts(head: Record<string, string>, body: string, out: { text: string; html: string }): void {
  const type = head['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const p = splitHead(part.replace(/^\r?\n/, ''));
      collectParts(p.head, p.body, out);
    }
    return;
  }
  const decoded = decodeBytes(body, head['content-transfer-encoding']).replace(/\r\n/g, '\n').replace(/\n$/, '');
  if (/^text\/html/i.test(type)) out.html ||= decoded;
  else if (/^text\/plain/i.test(type)) out.text ||= decoded;
}

export function parseMail(raw: string): { headers: Record<string, string>; subject: string; text: string; html: string } {
  const { head, body } = splitHead(raw);
  const out = { text: '', html: '' };
  collectParts(head, body, out);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(head)) headers[k] = decodeHeader(v);
  return { headers, subject: headers.subject ?? '', ...out };
}

// ---------------------------------------------------------------------------------------------------------
// Payload checkers: the documented shapes, as lists of problems (empty = fine)

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): x is string => typeof x === 'string';

/** Slack incoming webhook with Block Kit (docs.slack.dev/reference/block-kit). */
export function checkSlackPayload(p: unknown): string[] {
  const bad: string[] = [];
  if (!isObj(p)) return ['payload is not an object'];
  if (!str(p.text) || !p.text.trim()) bad.push('text (the notification fallback) is missing');
  if (!Array.isArray(p.blocks) || p.blocks.length === 0) return [...bad, 'blocks missing'];
  if (p.blocks.length > 50) bad.push(`${p.blocks.length} blocks (max 50)`);
  const text = (t: unknown, where: string, types: string[], max: number) => {
    if (!isObj(t)) return bad.push(`${where}: text object missing`);
    if (!types.includes(t.type as string)) bad.push(`${where}: text type ${String(t.type)} (allowed ${types.join(', ')})`);
    if (!str(t.text) || t.text.length === 0) bad.push(`${where}: empty text`);
    else if (t.text.length > max) bad.push(`${where}: ${t.text.length} chars (max ${max})`);
    if (t.type === 'mrkdwn' && str(t.text) && /<(?![@#!]|https?:|mailto:)|&(?!amp;|lt;|gt;)/.test(t.text)) bad.push(`${where}: unescaped & or <`);
  };
  p.blocks.forEach((b: unknown, i: number) => {
    const where = `blocks[${i}]`;
    if (!isObj(b)) return bad.push(`${where} is not an object`);
    if (b.block_id !== undefined && (!str(b.block_id) || b.block_id.length > 255)) bad.push(`${where}.block_id invalid`);
    switch (b.type) {
      case 'header':
        text(b.text, `${where}(header)`, ['plain_text'], 150);
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) bad.push(`${where}(section): needs text or fields`);
        if (b.text !== undefined) text(b.text, `${where}(section)`, ['plain_text', 'mrkdwn'], 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) bad.push(`${where}(section): fields must be ≤ 10`);
          else b.fields.forEach((f: unknown, j: number) => text(f, `${where}.fields[${j}]`, ['plain_text', 'mrkdwn'], 2000));
        }
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) bad.push(`${where}(context): 1–10 elements`);
        else b.elements.forEach((e: unknown, j: number) => text(e, `${where}.elements[${j}]`, ['plain_text', 'mrkdwn'], 3000));
        break;
      case 'divider':
        break;
      default:
        bad.push(`${where}: unexpected block type ${String(b.type)}`);
    }
  });
  return bad;
}

/** Discord execute-webhook body with embeds (discord.com/developers/docs/resources/message#embed-object). */
export function checkDiscordPayload(p: unknown): string[] {
  const bad: string[] = [];
  if (!isObj(p)) return ['payload is not an object'];
  if (p.content !== undefined && (!str(p.content) || p.content.length > 2000)) bad.push('content must be a string ≤ 2000');
  if (!isObj(p.allowed_mentions) || !Array.isArray(p.allowed_mentions.parse) || p.allowed_mentions.parse.length !== 0) bad.push('allowed_mentions.parse must be []');
  if (!Array.isArray(p.embeds) || p.embeds.length === 0 || p.embeds.length > 10) return [...bad, 'embeds must be 1–10'];
  let total = 0;
  p.embeds.forEach((e: unknown, i: number) => {
    const where = `embeds[${i}]`;
    if (!isObj(e)) return bad.push(`${where} is not an object`);
    const limit = (v: unknown, name: string, max: number, required: boolean) => {
      if (v === undefined) return required && bad.push(`${where}.${name} missing`);
      if (!str(v) || v.length === 0) return bad.push(`${where}.${name} must be a non-empty string`);
      if (v.length > max) bad.push(`${where}.${name}: ${v.length} chars (max ${max})`);
      total += v.length;
    };
    limit(e.title, 'title', 256, true);
    limit(e.description, 'description', 4096, false);
    if (!Number.isInteger(e.color) || (e.color as number) < 0 || (e.color as number) > 0xffffff) bad.push(`${where}.color must be an integer 0–0xFFFFFF`);
    if (e.timestamp !== undefined && (!str(e.timestamp) || Number.isNaN(Date.parse(e.timestamp)) || !/^\d{4}-\d\d-\d\dT/.test(e.timestamp))) bad.push(`${where}.timestamp must be ISO-8601`);
    if (e.footer !== undefined) {
      if (!isObj(e.footer)) bad.push(`${where}.footer must be an object`);
      else limit(e.footer.text, 'footer.text', 2048, true);
    }
    if (e.fields !== undefined) {
      if (!Array.isArray(e.fields) || e.fields.length > 25) bad.push(`${where}.fields must be ≤ 25`);
      else
        e.fields.forEach((f: unknown, j: number) => {
          if (!isObj(f)) return bad.push(`${where}.fields[${j}] is not an object`);
          limit(f.name, `fields[${j}].name`, 256, true);
          limit(f.value, `fields[${j}].value`, 1024, true);
          if (f.inline !== undefined && typeof f.inline !== 'boolean') bad.push(`${where}.fields[${j}].inline must be boolean`);
        });
    }
  });
  if (total > 6000) bad.push(`embeds total ${total} chars (max 6000)`);
  return bad;
}
