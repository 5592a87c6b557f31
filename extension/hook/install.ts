// The page hook: wraps fetch and XMLHttpRequest in the page's own world so that calls the Base44 SDK makes
// (axios → XHR) and AI-gateway clients make (fetch) are seen. It must be invisible to the page:
// - the originals are wrapped in Proxies, so name and length are unchanged, and toString() answers with the
//   original's text (see disguiser);
// - calls that are not billed Base44 shapes (one regex) go straight to the original, untouched;
// - for billed shapes the page gets the same response object, the same errors (an unhandled rejection stays
//   unhandled), the same streaming; a reply body is read only from a clone, and only for connector calls and
//   402s, the two cases whose cost is in the body;
// - every line of our own work is inside try/catch: nothing here can throw into the page.
// Only metadata leaves (via `emit`): method, URL without query, status, timing, repeat flag, cost fields.
import { isCandidateUrl } from '../../shared/base44/classify';
import { replyMeta, type ReplyMeta } from '../../shared/base44/reply-meta';
import { createRepeatTracker } from '../../shared/base44/repeats';
import type { HookCall } from '../../shared/messages';
import { callHash } from './body-key';
import type { BalanceWatch } from './balance-watch';

const NEEDS_REPLY = /\/connectors\/[^/?#]+\/call(?:[?#]|$)/;
const stripQuery = (url: string) => url.split(/[?#]/, 1)[0];

type Emit = (call: HookCall) => void;

interface Pending {
  url: string;
  method: string;
  start: number;
  t0: number;
  repeat: boolean;
}

/** `balances`: on Base44's own web app, also read balance replies (hook/balance-watch.ts). */
export function installHook(win: typeof globalThis, emit: Emit, balances?: BalanceWatch): void {
  const repeats = createRepeatTracker();
  const now = Date.now;
  const perf = win.performance;

  const begin = (method: string, url: string, body: unknown): Pending => {
    const start = now();
    let repeat = false;
    try {
      repeat = repeats.seen(callHash(method, url, body), start);
    } catch {
      // A body whose iteration throws (a hostile FormData) is simply not compared.
    }
    return { url: stripQuery(url), method: method.toUpperCase(), start, t0: perf.now(), repeat };
  };
  const finish = (p: Pending, status: number, reply?: ReplyMeta) => {
    try {
      const call: HookCall = { v: 1, url: p.url, method: p.method, status, start: p.start, ms: Math.max(0, perf.now() - p.t0), repeat: p.repeat };
      if (reply) call.reply = reply;
      emit(call);
    } catch {
      // Reporting must never disturb the page.
    }
  };

  const disguise = disguiser(win);
  wrapFetch(win, begin, finish, disguise, balances);
  wrapXhr(win, begin, finish, disguise, balances);
}

type Disguise = <T extends object>(wrapper: T, original: T) => T;

/**
 * A Proxy's toString() reads "function () { [native code] }" — without the name the original shows. So
 * Function.prototype.toString answers for each wrapper with its original's text (and for itself with its own),
 * and a page comparing the two sees no difference.
 */
function disguiser(win: typeof globalThis): Disguise {
  const originals = new WeakMap<object, object>();
  const proto = (win.Function ?? Function).prototype;
  const toString = proto.toString;
  const patched = new Proxy(toString, {
    apply(target, thisArg, args) {
      return Reflect.apply(target, (thisArg !== null && (typeof thisArg === 'object' || typeof thisArg === 'function') && originals.get(thisArg)) || thisArg, args);
    },
  });
  originals.set(patched, toString);
  try {
    Object.defineProperty(proto, 'toString', { ...Object.getOwnPropertyDescriptor(proto, 'toString'), value: patched });
  } catch {
    // a frozen Function.prototype: the names show, nothing breaks
  }
  return (wrapper, original) => {
    originals.set(wrapper, original);
    return wrapper;
  };
}

type Begin = (method: string, url: string, body: unknown) => Pending;
type Finish = (p: Pending, status: number, reply?: ReplyMeta) => void;

function wrapFetch(win: typeof globalThis, begin: Begin, finish: Finish, disguise: Disguise, balances?: BalanceWatch): void {
  const original = win.fetch;
  if (typeof original !== 'function') return;
  const RequestCtor = win.Request;
  win.fetch = disguise(new Proxy(original, {
    apply(target, thisArg, args: [RequestInfo | URL, RequestInit?]) {
      let pending: Pending | undefined;
      let balanceUrl: string | undefined;
      try {
        const [input, init] = args;
        const isRequest = typeof RequestCtor === 'function' && input instanceof RequestCtor;
        const url = isRequest ? (input as Request).url : String(input);
        if (balances?.watch(url)) balanceUrl = url;
        else if (isCandidateUrl(url)) {
          const method = init?.method ?? (isRequest ? (input as Request).method : 'GET');
          pending = begin(String(method), url, init?.body);
        }
      } catch {
        pending = undefined;
      }
      const result: Promise<Response> = Reflect.apply(target, thisArg, args);
      if (balanceUrl !== undefined) {
        const url = balanceUrl;
        return result.then((res) => {
          try {
            if (res.ok) res.clone().json().then((j) => balances!.report(url, j), () => undefined);
          } catch {
            // not readable: no reading
          }
          return res;
        });
      }
      if (!pending) return result;
      const p = pending;
      // The page gets the promise `then` derives: it settles exactly as the original does, and if the page never
      // handles a rejection it stays unhandled (a handler attached to the original alone would hide it).
      return result.then(
        (res) => {
          observeResponse(res, p, finish);
          return res;
        },
        (err) => {
          finish(p, 0);
          throw err;
        },
      );
    },
  }), original);
}

function observeResponse(res: Response, p: Pending, finish: Finish): void {
  try {
    if (!(res.status === 402 || NEEDS_REPLY.test(p.url))) return finish(p, res.status);
    res
      .clone()
      .json()
      .then(
        (json) => finish(p, res.status, replyMeta(json)),
        () => finish(p, res.status),
      );
  } catch {
    finish(p, res.status);
  }
}

const XHR_STATE = new WeakMap<XMLHttpRequest, { method: string; url: string; balance?: boolean }>();

function wrapXhr(win: typeof globalThis, begin: Begin, finish: Finish, disguise: Disguise, balances?: BalanceWatch): void {
  const XHR = win.XMLHttpRequest;
  if (typeof XHR !== 'function') return;
  const proto = XHR.prototype;
  const open = proto.open;
  const send = proto.send;
  proto.open = disguise(new Proxy(open, {
    apply(target, thisArg: XMLHttpRequest, args: unknown[]) {
      try {
        const url = String(args[1]);
        if (balances?.watch(url)) XHR_STATE.set(thisArg, { method: String(args[0]), url, balance: true });
        else if (isCandidateUrl(url)) XHR_STATE.set(thisArg, { method: String(args[0]), url });
        else XHR_STATE.delete(thisArg);
      } catch {
        // not ours to observe
      }
      return Reflect.apply(target, thisArg, args);
    },
  }), open);
  proto.send = disguise(new Proxy(send, {
    apply(target, thisArg: XMLHttpRequest, args: unknown[]) {
      try {
        const seen = XHR_STATE.get(thisArg);
        if (seen?.balance) {
          XHR_STATE.delete(thisArg);
          thisArg.addEventListener('loadend', () => {
            if (thisArg.status < 200 || thisArg.status >= 300) return;
            const json = xhrJson(thisArg);
            if (json !== undefined) balances!.report(seen.url, json);
          }, { once: true });
        } else if (seen) {
          XHR_STATE.delete(thisArg);
          const p = begin(seen.method, seen.url, args[0]);
          thisArg.addEventListener('loadend', () => finish(p, thisArg.status, xhrReplyMeta(thisArg, p)), { once: true });
        }
      } catch {
        // not ours to observe
      }
      return Reflect.apply(target, thisArg, args);
    },
  }), send);
}

function xhrReplyMeta(xhr: XMLHttpRequest, p: Pending): ReplyMeta | undefined {
  if (!(xhr.status === 402 || NEEDS_REPLY.test(p.url))) return undefined;
  return replyMeta(xhrJson(xhr));
}

/** An XHR's reply as parsed JSON, or undefined (not JSON, a binary responseType, or unreadable). Never throws. */
function xhrJson(xhr: XMLHttpRequest): unknown {
  try {
    if (xhr.responseType === 'json') return xhr.response ?? undefined;
    if (xhr.responseType === '' || xhr.responseType === 'text') return JSON.parse(xhr.responseText);
  } catch {
    // not JSON
  }
  return undefined;
}
