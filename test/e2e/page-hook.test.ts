/// <reference types="chrome" />
// Page-hook transparency in real Chromium: the same probe runs in a Base44 app page with the extension and
// without it, and must see the same things — statuses, headers, bodies, streamed chunks and their spacing,
// errors, unhandled rejections, the look of fetch/XHR — for the billed call shapes the hook observes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { DEFAULT_APP_ID, startFakeBase44, type FakeBase44 } from '../support/fake-base44';

let fake: FakeBase44;
let withExt: ExtensionBrowser;
let plain: Browser;

beforeAll(async () => {
  fake = await startFakeBase44();
  withExt = await launchWithExtension({ args: fake.chromiumArgs });
  plain = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', ...fake.chromiumArgs] });
});
afterAll(async () => {
  await withExt?.close();
  await plain?.close();
  await fake?.close();
});

/** Everything a page can observe about billed-shape calls. Runs in the page. */
async function probe(appId: string) {
  const base = `/api/apps/${appId}`;
  const LLM = `${base}/integration-endpoints/Core/InvokeLLM`;
  const strip = (h: [string, string][]) => h.filter(([k]) => k !== 'date' && k !== 'etag').sort();
  const out: Record<string, unknown> = {};
  const r = await fetch(`${LLM}?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"p"}' });
  out.fetchJson = { status: r.status, ok: r.ok, type: r.type, url: r.url.replace(location.origin, ''), redirected: r.redirected, headers: strip([...r.headers]), body: await r.text(), isResponse: r instanceof Response };
  const c = await fetch(`${base}/connectors/googlemaps/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":"GET","path":"/x"}' });
  out.connector = { status: c.status, bodyUsed: c.bodyUsed, body: await c.json() };
  const req = new Request(LLM, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  const rr = await fetch(req);
  out.requestObject = { status: rr.status, bodyUsed: req.bodyUsed, text: (await rr.text()).length };
  // Streaming: chunks arrive one by one, ~100 ms apart, not buffered into one.
  const s = await fetch(`${base}/ai/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' });
  const reader = s.body!.getReader();
  const chunks: { n: number; at: number }[] = [];
  const t0 = performance.now();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push({ n: value.length, at: performance.now() - t0 });
  }
  out.stream = { header: s.headers.get('x-test'), count: chunks.length, spread: chunks.length > 1 && chunks[chunks.length - 1].at - chunks[0].at > 150 };
  // Network error on a billed shape.
  out.netError = await fetch(`https://127.0.0.1:9/api/apps/${appId}/integration-endpoints/Core/InvokeLLM`, { method: 'POST' }).then(
    () => 'resolved',
    (e: Error) => `${e.name}: ${e.message}`,
  );
  // An unhandled rejection stays unhandled.
  out.unhandled = await new Promise((resolve) => {
    const on = (e: PromiseRejectionEvent) => {
      window.removeEventListener('unhandledrejection', on);
      resolve(String(e.reason?.name));
    };
    window.addEventListener('unhandledrejection', on);
    void fetch(`https://127.0.0.1:9${LLM}`, { method: 'POST' });
    setTimeout(() => resolve('no event'), 3000);
  });
  // XHR, as axios uses it.
  out.xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    const events: string[] = [];
    for (const t of ['loadstart', 'progress', 'load', 'loadend']) x.addEventListener(t, () => events.push(t));
    x.onreadystatechange = () => events.push(`rs${x.readyState}`);
    x.open('POST', LLM);
    x.setRequestHeader('content-type', 'application/json');
    x.onloadend = () => resolve({ status: x.status, headers: x.getAllResponseHeaders().split('\r\n').filter((l) => l && !/^(date|etag):/i.test(l)).sort(), text: x.responseText, events: [...new Set(events)] });
    x.send('{"prompt":"p"}');
  });
  out.xhrJson = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.responseType = 'json';
    x.open('POST', `${base}/integration-endpoints/Core/SendEmail`);
    x.onloadend = () => resolve({ status: x.status, response: x.response });
    x.send('{}');
  });
  out.looks = {
    fetch: Function.prototype.toString.call(fetch),
    fetchName: fetch.name,
    fetchLength: fetch.length,
    open: Function.prototype.toString.call(XMLHttpRequest.prototype.open),
    send: `${XMLHttpRequest.prototype.send}`,
    sendLength: XMLHttpRequest.prototype.send.length,
    ownKeys: Object.getOwnPropertyNames(window).filter((k) => /creditwatch/i.test(k)),
    toStringItself: Function.prototype.toString.call(Function.prototype.toString),
    toStringName: Function.prototype.toString.name,
  };
  return out;
}

async function runIn(page: Page) {
  await page.goto('https://myapp.base44.app/');
  await page.waitForFunction(() => typeof window.scenarios === 'object');
  fake.outOfCredits = false;
  const result = await page.evaluate(probe, DEFAULT_APP_ID);
  // The 402 reply (out of credits) as fetch and as axios-style XHR with responseType json.
  fake.outOfCredits = true;
  result.outOfCredits = await page.evaluate(async (appId) => {
    const url = `/api/apps/${appId}/integration-endpoints/Core/SendEmail`;
    const r = await fetch(url, { method: 'POST', body: '{}' });
    const viaFetch = { status: r.status, body: await r.json() };
    const viaXhr = await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.responseType = 'json';
      x.open('POST', url);
      x.onloadend = () => resolve({ status: x.status, response: x.response });
      x.send('{}');
    });
    return { viaFetch, viaXhr };
  }, DEFAULT_APP_ID);
  fake.outOfCredits = false;
  return result;
}

describe('page hook transparency (real Chromium)', () => {
  it('the page observes the same with and without the extension', async () => {
    const plainPage = await (await plain.newContext({ ignoreHTTPSErrors: true })).newPage();
    const plainErrors: string[] = [];
    plainPage.on('pageerror', (e) => plainErrors.push(e.message));
    const without = await runIn(plainPage);
    const withPage = await withExt.context.newPage();
    const errors: string[] = [];
    withPage.on('pageerror', (e) => errors.push(e.message));
    const withHook = await runIn(withPage);
    expect(withHook).toEqual(without);
    // The probe's deliberately unhandled rejection is the only page error, with or without the hook.
    expect(errors).toEqual(plainErrors);
    expect(errors).toEqual(['Failed to fetch']);
    expect((withHook.stream as { count: number }).count).toBeGreaterThanOrEqual(3);
    expect(withHook.looks).toMatchObject({ fetch: 'function fetch() { [native code] }', open: 'function open() { [native code] }', toStringItself: 'function toString() { [native code] }' });
  });

  it('and the hook did observe those calls (so transparency is not trivially an absent hook)', async () => {
    // The hook's reports are CustomEvents on document; a listener in the page sees their (metadata-only) batches.
    const page = await withExt.context.newPage();
    await page.goto('https://myapp.base44.app/');
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      document.addEventListener('creditwatch:call', (e) => (window as unknown as { seen: unknown[] }).seen.push(...JSON.parse((e as CustomEvent).detail)));
    });
    await page.evaluate(probe, DEFAULT_APP_ID);
    const seen = () => page.evaluate(() => (window as unknown as { seen: { url: string; method: string }[] }).seen.map((c) => `${c.method} ${c.url.replace(/^.*\/api\/apps\/[^/]+\//, '')}`));
    await expect.poll(seen).toEqual(expect.arrayContaining([
      'POST integration-endpoints/Core/InvokeLLM', 'POST connectors/googlemaps/call', 'POST ai/openai/v1/chat/completions', 'POST integration-endpoints/Core/SendEmail',
    ]));
    expect(JSON.stringify(await seen())).not.toMatch(/prompt|x=1/);
  });
});
