// One delivery attempt to one channel: an HTTP POST (Slack, Discord, signed webhook) or an SMTP send. Retrying,
// backoff and bookkeeping belong to the caller (server/alerts); this module only says whether an attempt worked
// and, when it did not, whether trying again can help. Channel URLs carry tokens and SMTP settings carry
// passwords, so no error built here ever repeats the URL, the secret or the password (nor the messages of the
// libraries underneath, which can quote the URL).
import { createTransport } from 'nodemailer';
import type { Channel, DeliveryMessage } from '../../shared/schemas/alerts';
import { discordPayload, emailMessage, slackPayload, webhookPayload } from './format';
import { webhookHeaders } from './webhook-signature';

export { newWebhookSecret } from './webhook-signature';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** What went wrong, coarse enough to show a lead and to decide on a retry. */
export type ChannelErrorCode =
  | 'timeout' // no (complete) answer in time
  | 'network' // refused, reset, DNS, TLS on the way
  | 'http' // an HTTP status other than 2xx
  | 'gone' // Slack/Discord: the hook was deleted or its channel archived (404/410): disable the channel
  | 'redirect' // a 3xx: the URL should be updated (redirects are not followed, the body is signed for one URL)
  | 'smtp' // the SMTP server refused (see smtpCode)
  | 'auth' // SMTP login refused
  | 'config'; // the channel cannot work as configured (no recipients, no secret, bad URL)

export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  /** The HTTP status, when the receiver answered. */
  readonly status?: number;
  /** True when the same attempt later can succeed (network, timeout, 5xx, 429, SMTP 4xx). */
  readonly retryable: boolean;
  readonly code: ChannelErrorCode;
  /** From Retry-After on a 429/503: how long the receiver asked us to wait. */
  readonly retryAfterMs?: number;
  /** The SMTP reply code, when the SMTP server answered. */
  readonly smtpCode?: number;

  constructor(message: string, o: { status?: number; retryable: boolean; code: ChannelErrorCode; retryAfterMs?: number; smtpCode?: number }) {
    super(message);
    this.retryable = o.retryable;
    this.code = o.code;
    if (o.status !== undefined) this.status = o.status;
    if (o.retryAfterMs !== undefined) this.retryAfterMs = o.retryAfterMs;
    if (o.smtpCode !== undefined) this.smtpCode = o.smtpCode;
  }
}

export interface SendOptions {
  /** Stable for all attempts of one delivery: the webhook-id header (receivers dedupe on it) and the email Message-ID. */
  deliveryId: string;
  /** Epoch ms for the webhook timestamp of this attempt and Retry-After dates; default Date.now. Must be the real
   *  clock: receivers refuse signatures whose timestamp is more than ~5 minutes off. */
  now?: () => number;
  /** Per attempt (HTTP: whole request and response; SMTP: connect, greeting and each socket wait). */
  timeoutMs?: number;
  /** Email recipients when the channel has no `to` (the workspace's owners and leads with an email). */
  recipients?: string[];
}

export interface SendResult {
  /** HTTP status of a successful POST. */
  status?: number;
  /** Email: recipients the SMTP server refused while accepting others. */
  rejected?: string[];
}

export async function sendToChannel(channel: Channel, msg: DeliveryMessage, opts: SendOptions): Promise<SendResult> {
  try {
    return await attempt(channel, msg, opts);
  } catch (e) {
    if (e instanceof ChannelError) throw e;
    // Anything else is a bug here or underneath; its message could quote the URL, so only its class is kept.
    const kind = e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : 'unknown';
    throw new ChannelError(`${channel.type}: internal error (${kind})`, { retryable: false, code: 'config' });
  }
}

async function attempt(channel: Channel, msg: DeliveryMessage, opts: SendOptions): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  switch (channel.type) {
    case 'slack':
      return post(channel, channel.url, JSON.stringify(slackPayload(msg)), {}, timeoutMs, now);
    case 'discord':
      return post(channel, channel.url, JSON.stringify(discordPayload(msg)), {}, timeoutMs, now);
    case 'webhook': {
      if (!channel.secret) throw new ChannelError('webhook: the channel has no signing secret', { retryable: false, code: 'config' });
      if (!/^[\x21-\x7e]{1,200}$/.test(opts.deliveryId)) throw new ChannelError('webhook: the delivery id cannot be a webhook-id', { retryable: false, code: 'config' });
      const body = JSON.stringify(webhookPayload(msg));
      let headers: Record<string, string>;
      try {
        headers = { ...webhookHeaders(channel.secret, opts.deliveryId, body, now()) };
      } catch {
        throw new ChannelError('webhook: the signing secret is not valid base64', { retryable: false, code: 'config' });
      }
      return post(channel, channel.url, body, headers, timeoutMs, now);
    }
    case 'email':
      return sendEmail(channel, msg, opts, timeoutMs);
    default:
      throw new ChannelError('channel: unknown type', { retryable: false, code: 'config' });
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

type HttpChannel = Extract<Channel, { type: 'slack' | 'discord' | 'webhook' }>;
type EmailChannel = Extract<Channel, { type: 'email' }>;

const MAX_BODY = 16 * 1024;

async function post(channel: HttpChannel, url: string, body: string, extra: Record<string, string>, timeoutMs: number, now: () => number): Promise<SendResult> {
  const name = channel.type;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ChannelError(`${name}: the URL is not valid`, { retryable: false, code: 'config' });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new ChannelError(`${name}: the URL must be http(s)`, { retryable: false, code: 'config' });

  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Creditwatch', ...extra },
      body,
      signal,
      redirect: 'manual',
    });
  } catch (e) {
    if (signal.aborted) throw new ChannelError(`${name}: no answer within ${timeoutMs} ms`, { retryable: true, code: 'timeout' });
    // undici reports every network failure as "fetch failed" with the system error as its cause; an error
    // without a cause means the request could not even be built (a bad header), which no retry fixes.
    if (!(e instanceof Error && e.cause)) throw new ChannelError(`${name}: the request could not be built`, { retryable: false, code: 'config' });
    throw new ChannelError(`${name}: could not connect (${networkCode(e)})`, { retryable: true, code: 'network' });
  }
  // Read a little of the body: it frees the connection, and Slack and Discord say there why they refused.
  const text = await readSome(res);
  const status = res.status;
  if (status >= 200 && status < 300) return { status };

  // Only a short reason token is kept (Slack answers "invalid_payload", "channel_not_found"): any member can
  // read delivery logs, so arbitrary reply text from whatever a URL points at must not be stored there.
  const why = redact(text, secretsOf(channel)).trim();
  const suffix = /^[a-z][a-z0-9_]{0,59}$/.test(why) ? `: ${why}` : '';
  if (status >= 300 && status < 400) {
    throw new ChannelError(`${name}: answered HTTP ${status} (a redirect; update the URL)`, { status, retryable: false, code: 'redirect' });
  }
  if ((status === 404 || status === 410) && (name === 'slack' || name === 'discord')) {
    throw new ChannelError(`${name}: answered HTTP ${status}; the hook was deleted or its channel archived${suffix}`, { status, retryable: false, code: 'gone' });
  }
  const retryable = status >= 500 || status === 429 || status === 408;
  const retryAfterMs = retryable ? parseRetryAfter(res.headers.get('retry-after'), now()) : undefined;
  throw new ChannelError(`${name}: answered HTTP ${status}${suffix}`, { status, retryable, code: 'http', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}

async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short or timed out: the status is what counts.
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

/** The system error code under fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND, …), never its message. */
export function networkCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return 'network error';
}

/** Retry-After as seconds or an HTTP date, in ms from now; capped at a day. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Math.ceil(Number(v) * 1000);
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, 24 * 3600_000);
}

// ---------------------------------------------------------------------------------------------------------
// Secrets never leave in errors

/** Every string an error must not contain for this channel: the URL and its parts, the secret, SMTP credentials. */
function secretsOf(channel: Channel): string[] {
  const out: string[] = [];
  if ('url' in channel) {
    out.push(channel.url);
    try {
      const u = new URL(channel.url);
      out.push(u.pathname + u.search, u.search.slice(1));
      for (const seg of u.pathname.split('/')) if (seg.length >= 6) out.push(seg, decodeURIComponent(seg));
      for (const [, v] of u.searchParams) if (v.length >= 6) out.push(v);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
    } catch {
      // An invalid URL is still redacted as a whole.
    }
  }
  if (channel.secret) out.push(channel.secret, channel.secret.replace(/^whsec_/, ''));
  if (channel.type === 'email') {
    const { user, pass } = channel.smtp;
    if (pass) {
      out.push(pass, Buffer.from(pass).toString('base64'));
      if (user) out.push(Buffer.from(`\0${user}\0${pass}`).toString('base64'), Buffer.from(`${user}\0${user}\0${pass}`).toString('base64'));
    }
  }
  return [...new Set(out.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
}

/** One line, at most 200 characters, with every secret replaced by "…". */
function redact(text: string, secrets: string[]): string {
  let s = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  for (const secret of secrets) s = s.split(secret).join('…');
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
}

// ---------------------------------------------------------------------------------------------------------
// Email

const NETWORK_SMTP = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETIMEDOUT']);

async function sendEmail(channel: EmailChannel, msg: DeliveryMessage, opts: SendOptions, timeoutMs: number): Promise<SendResult> {
  const list = channel.to?.length ? channel.to : (opts.recipients ?? []);
  const seen = new Set<string>();
  const to = list.filter((r) => {
    const k = r.trim().toLowerCase();
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (!to.length) throw new ChannelError('email: no recipients (the channel has none and no owner or lead has an email)', { retryable: false, code: 'config' });

  const { host, port, secure, user, pass } = channel.smtp;
  // `secure` means "never without TLS": implicit TLS on 465 (the only thing that port speaks), STARTTLS
  // required elsewhere. Without it, nodemailer still upgrades when the server offers STARTTLS, and a server
  // that doesn't (a relay on loopback, the tests) gets plain SMTP.
  const implicitTls = port === 465;
  const transport = createTransport({
    host,
    port,
    secure: implicitTls,
    requireTLS: secure === true && !implicitTls,
    ...(user ? { auth: { user, pass: pass ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    tls: { minVersion: 'TLSv1.2' },
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  const { subject, text, html } = emailMessage(msg);
  const domain = /@([A-Za-z0-9.-]+)$/.exec(channel.from)?.[1] ?? 'creditwatch.invalid';
  const idPart = opts.deliveryId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || 'delivery';
  try {
    const info = await transport.sendMail({
      from: { name: 'Creditwatch', address: channel.from },
      to,
      subject,
      text,
      html,
      // The same Message-ID on every attempt lets mail systems drop a duplicate of a retried send.
      messageId: `<${idPart}@${domain}>`,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Creditwatch-Delivery': idPart },
    });
    const rejected = (info.rejected ?? []).map(String);
    return rejected.length ? { rejected } : {};
  } catch (e) {
    throw smtpError(e, channel);
  } finally {
    transport.close();
  }
}

function smtpError(e: unknown, channel: EmailChannel): ChannelError {
  const err = (e ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown };
  const code = typeof err.code === 'string' && /^[A-Z_]{2,30}$/.test(err.code) ? err.code : undefined;
  const smtpCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const reply = typeof err.response === 'string' ? redact(err.response, secretsOf(channel)) : '';
  const tail = reply ? `: ${reply}` : '';
  if (code === 'ETIMEDOUT') return new ChannelError('email: the SMTP server did not answer in time', { retryable: true, code: 'timeout' });
  if (smtpCode === undefined && code && NETWORK_SMTP.has(code)) {
    return new ChannelError(`email: could not reach the SMTP server (${code})`, { retryable: true, code: 'network' });
  }
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    const transient = smtpCode !== undefined && smtpCode >= 400 && smtpCode < 500;
    return new ChannelError(`email: SMTP login refused${tail}`, { retryable: transient, code: 'auth', ...(smtpCode ? { smtpCode } : {}) });
  }
  if (code === 'ETLS' || code === 'EREQUIRETLS') {
    return new ChannelError(`email: TLS with the SMTP server failed (${code})${tail}`, { retryable: false, code: 'config', ...(smtpCode ? { smtpCode } : {}) });
  }
  if (smtpCode !== undefined) {
    // RFC 5321: 4yz is transient, 5yz permanent (503 is a session-state error: a new connection can pass).
    const retryable = smtpCode < 500 || smtpCode === 503;
    return new ChannelError(`email: the SMTP server refused (${smtpCode})${tail}`, { retryable, code: 'smtp', smtpCode });
  }
  return new ChannelError(`email: sending failed (${code ?? 'unknown error'})`, { retryable: code !== undefined && NETWORK_SMTP.has(code), code: 'smtp' });
}

// ---------------------------------------------------------------------------------------------------------
// What the API shows

/** "https://hooks.slack.com/…Xy3Z": scheme, host and the last 4 characters (when the rest is long enough to hide). */
export function maskUrl(url: string): string {
  let origin: string;
  let rest: string;
  try {
    const u = new URL(url);
    origin = `${u.protocol}//${u.host}`;
    rest = u.pathname + u.search + u.hash;
  } catch {
    return '…';
  }
  return rest.length > 8 ? `${origin}/…${rest.slice(-4)}` : `${origin}/…`;
}

/** The channel as the API may return it: URLs, the signing secret and the SMTP password masked. */
export function maskChannel(channel: Channel): Channel {
  const out = structuredClone(channel) as Channel;
  if ('url' in out) out.url = maskUrl(out.url);
  if (out.secret) out.secret = `whsec_…${out.secret.slice(-4)}`;
  if (out.type === 'email' && out.smtp.pass) out.smtp.pass = '••••';
  return out;
}
