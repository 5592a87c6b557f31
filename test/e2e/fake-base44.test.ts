// The fake Base44 itself, in real Chromium without the extension: the real SDK on the published app page
// reaches the fake with the right method, path, content type and content; out of credits is a 402; the
// editor's preview iframe reports its SDK calls to the parent; the /t/* transport probes behave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '../support/browser';
import { DEFAULT_APP_ID, OUT_OF_CREDITS_BODY, startFakeBase44, type FakeBase44, type FakeRequest } from '../support/fake-base44';
import type { Scenarios } from './fixtures/app-page';

const api = `/api/apps/${DEFAULT_APP_ID}`;
let fake: FakeBase44;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  fake = await startFakeBase44();
  browser = await chromium.launch({
    executablePath: chromiumPath(), headless: true,
    // fake.chromiumArgs = --host-resolver-rules, --ignore-certificate-errors and STORAGE_PARTITIONING_ARG (the
    // editor's cross-site preview iframe needs storage, as in real Chrome).
    args: ['--no-sandbox', '--disable-gpu', ...fake.chromiumArgs],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
});
afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

async function openApp(url = 'https://myapp.base44.app/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.scenarios === 'object');
  return page;
}

const run = (page: Page, name: keyof Scenarios, canary: string) =>
  page.evaluate(([n, c]) => (window.scenarios[n] as (c: string) => Promise<unknown>)(c), [name, canary] as const);

/** The requests (with their bodies) that arrived while `fn` ran. */
async function during(fn: () => Promise<unknown>) {
  const from = fake.requests.length;
  const result = await fn();
  return { result, requests: fake.requests.slice(from), bodies: fake.bodies.slice(from) };
}

describe('fake Base44 in Chromium (no extension)', () => {
  it('serves the published app; each SDK scenario reaches the fake with its canary', async () => {
    const page = await openApp();
    const init = await fake.waitForRequest((r) => r.path === `${api}/analytics/track/batch`);
    expect(init.host).toBe('myapp.base44.app'); // the SDK's only call on load (no token, so no auth/me)

    const cases: [keyof Scenarios, string, RegExp, (r: unknown) => void][] = [
      ['invokeLLM', `${api}/integration-endpoints/Core/InvokeLLM`, /^application\/json/, (r) => expect(r).toBe('This is a fake LLM answer.')],
      ['sendEmail', `${api}/integration-endpoints/Core/SendEmail`, /^application\/json/, (r) => expect(r).toEqual({ success: true })],
      ['uploadFile', `${api}/integration-endpoints/Core/UploadFile`, /^multipart\/form-data; boundary=/, (r) => expect(r).toMatchObject({ file_url: expect.stringContaining('notes.txt') })],
      ['agentMessage', `${api}/agents/conversations/v2/conv_`, /^application\/json/, (r) => expect(r).toMatchObject({ role: 'assistant', usage: { prompt_tokens: 12, completion_tokens: 30 } })],
      ['connectorCall', `${api}/connectors/googlemaps/call`, /^application\/json/, (r) => expect(r).toMatchObject({ success: true, status: 200, creditsCharged: 2 })],
    ];
    for (const [name, path, type, check] of cases) {
      const canary = `CANARY-${name}-${Math.random().toString(36).slice(2)}`;
      const { result, requests, bodies } = await during(() => run(page, name, canary));
      check(result);
      const i = requests.findIndex((r) => r.method === 'POST' && r.path.startsWith(path));
      expect(i, `${name}: ${requests.map((r) => r.path).join(', ')}`).toBeGreaterThanOrEqual(0);
      const req: FakeRequest = requests[i];
      expect(req.contentType).toMatch(type);
      expect(req.headers['x-app-id']).toBe(DEFAULT_APP_ID);
      expect(req.headers['x-origin-url']).toBe('https://myapp.base44.app/');
      expect(bodies[i].includes(canary), `${name} body carries the canary`).toBe(true);
      if (name === 'uploadFile') expect(req.parts).toEqual([{ name: 'file', filename: 'notes.txt', contentType: 'text/plain', bytes: canary.length + 8 }]);
      if (name === 'agentMessage') expect(requests[i - 1]).toMatchObject({ method: 'POST', path: `${api}/agents/conversations` });
      if (name === 'connectorCall') expect(req.headers.authorization).toBe('Bearer fake-service-token');
    }

    const list = await during(() => page.evaluate(() => window.scenarios.entitiesList()));
    expect(list.result).toEqual([]);
    expect(list.requests.map((r) => `${r.method} ${r.path}`)).toContain(`GET ${api}/entities/Todo`);

    const all = await during(() => page.evaluate(() => window.scenarios.allFive('CANARY-ALL')));
    expect((all.result as unknown[]).filter((r) => r && typeof r === 'object' && 'error' in r)).toEqual([]);
    expect(all.requests.filter((r) => /integration-endpoints|\/messages$|\/call$/.test(r.path))).toHaveLength(5);

    const loop = await during(() => page.evaluate(() => window.scenarios.loop('CANARY-LOOP', 30)));
    expect(loop.requests.filter((r) => r.path.endsWith('/Core/InvokeLLM'))).toHaveLength(30);
    expect(loop.bodies.filter((b) => b.includes('CANARY-LOOP #'))).toHaveLength(30);

    await page.fill('#canary', 'CANARY-CLICK');
    await page.click('#invoke-llm');
    await page.waitForSelector('#out[data-state="done"]');
    expect(fake.received('CANARY-CLICK')).toBe(true);
    await page.close();
  });

  it('answers every billed call with the exact 402 when out of credits', async () => {
    const page = await openApp();
    fake.outOfCredits = true;
    try {
      const { requests } = await during(async () => {
        expect(await run(page, 'invokeLLM', 'x')).toEqual({ error: 402, message: 'You have reached the limit of integrations for this month' });
        expect(await run(page, 'connectorCall', 'x')).toMatchObject({ error: 402 });
        expect(await page.evaluate(() => window.scenarios.entitiesList())).toEqual([]); // not billed, still fine
      });
      expect(requests.map((r) => r.path)).toEqual(expect.arrayContaining([`${api}/integration-endpoints/Core/InvokeLLM`, `${api}/connectors/googlemaps/call`]));
      const raw = await page.evaluate(async (p) => (await fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text(), `${api}/integration-endpoints/Core/InvokeLLM`);
      expect(raw).toBe(OUT_OF_CREDITS_BODY);
    } finally {
      fake.outOfCredits = false;
    }
    await page.close();
  });

  it('serves the editor; the preview iframe posts api-request-start/end to the parent', async () => {
    const page = await context.newPage();
    await page.goto(`https://app.base44.com/apps/${DEFAULT_APP_ID}/editor/preview`);
    await expect.poll(() => page.textContent('#editor-header')).toContain('My Base44 App');
    await page.evaluate(() => {
      const w = window as unknown as { msgs: unknown[] };
      w.msgs = [];
      addEventListener('message', (e) => w.msgs.push(e.data));
    });
    const frame = await (await page.waitForSelector('#preview')).contentFrame();
    expect(frame).toBeTruthy();
    await frame!.waitForFunction(() => typeof window.scenarios === 'object');

    const { requests } = await during(() => frame!.evaluate(() => window.scenarios.invokeLLM('CANARY-PREVIEW')));
    expect(requests[0]?.host).toBe(`preview-sandbox--${DEFAULT_APP_ID}.base44.app`);
    await frame!.evaluate(() => window.scenarios.uploadFile('CANARY-PREVIEW-FILE'));
    fake.outOfCredits = true;
    await frame!.evaluate(() => window.scenarios.sendEmail('CANARY-PREVIEW-402')).finally(() => (fake.outOfCredits = false));

    type Msg = { type: string; requestId: string; data: { url?: string; method?: string; body?: unknown; statusCode?: number } };
    const msgs = async () => (await page.evaluate(() => (window as unknown as { msgs: Msg[] }).msgs)).filter((m) => m?.type?.startsWith('api-request-'));
    await expect.poll(async () => (await msgs()).filter((m) => m.type === 'api-request-start' && m.data.url?.includes('/SendEmail')).length).toBe(1);
    const all = await msgs();
    const start = (ep: string) => all.find((m) => m.type === 'api-request-start' && m.data.url === `/api/apps/${DEFAULT_APP_ID}/integration-endpoints/Core/${ep}`)!;
    const end = (s: Msg) => all.find((m) => m.type === 'api-request-end' && m.requestId === s.requestId);
    expect(start('InvokeLLM')).toMatchObject({ data: { method: 'post', body: { prompt: 'Summarise: CANARY-PREVIEW' } } });
    expect(end(start('InvokeLLM'))).toMatchObject({ data: { statusCode: 200, response: 'This is a fake LLM answer.' } });
    expect(start('UploadFile').data.body).toBe('[FormData object]');
    expect(end(start('SendEmail'))).toBeUndefined(); // failures post no end message
    await page.close();
  });

  it('transport probes: headers, chunked stream, status, echo, slow, network error', async () => {
    const page = await openApp();
    const out = await page.evaluate(async () => {
      const json = await fetch('/t/json');
      const t0 = performance.now();
      const reader = (await fetch('/t/stream')).body!.getReader();
      const chunks: [string, number][] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push([new TextDecoder().decode(r.value), performance.now() - t0]);
      const slow0 = performance.now();
      await (await fetch('/t/slow?ms=200')).json();
      const echo = await (await fetch('/t/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo' })).text();
      const closed = await fetch('/t/close').then(() => 'resolved', (e) => String(e));
      return {
        header: json.headers.get('x-test'), body: await json.json(), chunks, slowMs: performance.now() - slow0, echo, closed,
        status: (await fetch('/t/status/503')).status,
      };
    });
    expect(out.header).toBe('1');
    expect(out.body).toEqual({ ok: true, n: 1 });
    expect(out.chunks.map((c) => c[0]).join('')).toBe('chunk1\nchunk2\nchunk3\n');
    expect(out.chunks.length).toBeGreaterThanOrEqual(2);
    expect(out.chunks[out.chunks.length - 1][1] - out.chunks[0][1]).toBeGreaterThanOrEqual(150);
    expect(out.slowMs).toBeGreaterThanOrEqual(190);
    expect(out.echo).toBe('héllo');
    expect(out.closed).toMatch(/TypeError/);
    expect(out.status).toBe(503);
    await page.close();
  });

  it('threw no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
