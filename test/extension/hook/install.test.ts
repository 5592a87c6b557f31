// The page hook over stand-in fetch/XHR: what it reports, and that the page sees exactly what it would
// without it (the same response object, the same errors, unhandled rejections kept unhandled, no throws).
// Real-browser transparency (headers, streaming, timing) is in test/e2e/page-hook.test.ts.
import { describe, expect, it } from 'vitest';
import { installHook } from '../../../extension/hook/install';
import type { HookCall } from '../../../shared/messages';

const APP = '698fc81203f85a20f281d9dc';
const LLM = `/api/apps/${APP}/integration-endpoints/Core/InvokeLLM`;
const CONNECTOR = `/api/apps/${APP}/connectors/googlemaps/call`;

class FakeXHR extends EventTarget {
  status = 0;
  responseType = '';
  responseText = '';
  response: unknown = null;
  opened?: [string, string];
  static reply: { status: number; body: string } = { status: 200, body: '{}' };
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  send(_body?: unknown) {
    queueMicrotask(() => {
      this.status = FakeXHR.reply.status;
      this.responseText = FakeXHR.reply.body;
      this.dispatchEvent(new Event('loadend'));
    });
  }
}

function setup(fetchImpl: (input: unknown, init?: RequestInit) => Promise<Response>, emit?: (c: HookCall) => void) {
  const calls: HookCall[] = [];
  class XHR extends FakeXHR {}
  const win = { fetch: fetchImpl, XMLHttpRequest: XHR, Promise, Request, performance } as unknown as typeof globalThis;
  installHook(win, emit ?? ((c) => calls.push(c)));
  return { win, calls, XHR };
}
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('page hook: fetch', () => {
  it('passes non-Base44 calls straight through: the very same promise, nothing reported', async () => {
    const p = Promise.resolve(new Response('x'));
    const { win, calls } = setup(() => p);
    expect(win.fetch('https://example.com/api/data')).toBe(p);
    expect(win.fetch(`/api/apps/${APP}/entities/Todo`)).toBe(p);
    await tick();
    expect(calls).toEqual([]);
  });

  it('reports a billed call: method, URL without query, status, timing, no body or headers', async () => {
    const res = new Response('{"answer":"secret"}', { status: 200 });
    const { win, calls } = setup(async () => res);
    const got = await win.fetch(`${LLM}?access_token=tok`, { method: 'post', body: '{"prompt":"secret"}', headers: { authorization: 'Bearer tok' } });
    expect(got).toBe(res);
    await tick();
    expect(calls).toEqual([{ v: 1, url: LLM, method: 'POST', status: 200, start: expect.any(Number), ms: expect.any(Number), repeat: false }]);
    expect(JSON.stringify(calls)).not.toMatch(/secret|tok/);
  });

  it("reads a connector's credits_charged and a 402's reason from a clone; the page can still read the body", async () => {
    const { win, calls } = setup(async (input) =>
      String(input).includes('connectors')
        ? new Response('{"success":true,"phase":"sent","credits_charged":3,"data":{"secret":1}}')
        : new Response('{"message":"limit","extra_data":{"reason":"integration_credits_limit_reached"}}', { status: 402 }),
    );
    const a = await win.fetch(CONNECTOR, { method: 'POST' });
    expect(await a.json()).toMatchObject({ credits_charged: 3 });
    const b = await win.fetch(LLM, { method: 'POST' });
    expect(b.status).toBe(402);
    expect(await b.text()).toContain('limit');
    await tick();
    expect(calls.map((c) => c.reply)).toEqual([{ creditsCharged: 3, phase: 'sent' }, { reason: 'integration_credits_limit_reached' }]);
  });

  it('rejects exactly as the original did, and reports status 0', async () => {
    const err = new TypeError('Failed to fetch');
    const { win, calls } = setup(() => Promise.reject(err));
    await expect(win.fetch(LLM, { method: 'POST' })).rejects.toBe(err);
    await tick();
    expect(calls[0].status).toBe(0);
  });

  it('keeps an unhandled rejection unhandled', async () => {
    const { win } = setup(() => Promise.reject(new TypeError('Failed to fetch')));
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    void win.fetch(LLM, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(seen).toHaveLength(1);
  });

  it('never throws into the page, even when reporting fails', async () => {
    const { win } = setup(async () => new Response('{}'), () => {
      throw new Error('boom');
    });
    const res = await win.fetch(LLM, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    await tick();
  });

  it('flags the same call repeated within seconds; a different body is not a repeat', async () => {
    const { win, calls } = setup(async () => new Response('{}'));
    for (const body of ['{"p":1}', '{"p":1}', '{"p":2}']) await win.fetch(LLM, { method: 'POST', body });
    await tick();
    expect(calls.map((c) => c.repeat)).toEqual([false, true, false]);
  });

  it('keeps name, length and a native-looking toString', () => {
    const original = globalThis.fetch;
    const { win } = setup(original as never);
    expect(win.fetch.name).toBe(original.name);
    expect(win.fetch.length).toBe(original.length);
    expect(Function.prototype.toString.call(win.fetch)).toBe(Function.prototype.toString.call(original));
  });
});

describe('page hook: XMLHttpRequest (the SDK uses axios)', () => {
  it('reports billed XHR calls with status and connector credits, and leaves others alone', async () => {
    const { XHR, calls } = setup(async () => new Response());
    FakeXHR.reply = { status: 200, body: '{"success":true,"phase":"sent","credits_charged":2}' };
    const a = new XHR();
    a.open('POST', `https://myapp.base44.app${CONNECTOR}`);
    a.send(JSON.stringify({ path: '/x' }));
    const b = new XHR();
    b.open('GET', `/api/apps/${APP}/entities/Todo`);
    b.send();
    await tick();
    expect(calls).toEqual([{ v: 1, url: `https://myapp.base44.app${CONNECTOR}`, method: 'POST', status: 200, start: expect.any(Number), ms: expect.any(Number), repeat: false, reply: { creditsCharged: 2, phase: 'sent' } }]);
  });

  it('a reused XHR is judged by its latest open()', async () => {
    const { XHR, calls } = setup(async () => new Response());
    FakeXHR.reply = { status: 200, body: '{}' };
    const x = new XHR();
    x.open('POST', LLM);
    x.open('GET', '/other');
    x.send();
    await tick();
    expect(calls).toEqual([]);
  });
});

describe('page hook: balance replies on the Base44 web app', () => {
  it('reads a watched reply from a clone and leaves the page its body', async () => {
    const reports: [string, unknown][] = [];
    const balances = { watch: (url: string) => url.includes('/credits'), report: (url: string, json: unknown) => void reports.push([url, json]) };
    const win = { fetch: async () => new Response('{"message_credits":{"remaining":4}}'), XMLHttpRequest: FakeXHR, Promise, Request, performance } as unknown as typeof globalThis;
    const calls: HookCall[] = [];
    installHook(win, (c) => calls.push(c), balances);
    const res = await win.fetch('/api/workspaces/w/credits');
    expect(await res.json()).toEqual({ message_credits: { remaining: 4 } });
    await tick();
    expect(reports).toEqual([['/api/workspaces/w/credits', { message_credits: { remaining: 4 } }]]);
    expect(calls).toEqual([]);
  });
});
