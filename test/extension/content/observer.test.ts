// The isolated-world observer: the page's reports are untrusted; only valid, billed calls become reports,
// with flows, the loop warning fires at once, and the editor's witness messages are read for metadata only.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startObserver } from '../../../extension/content/observer';
import { documentEmitter } from '../../../extension/hook/emit';
import { HOOK_EVENT } from '../../../shared/hook-event';
import type { CallReport } from '../../../shared/messages';

const APP = '698fc81203f85a20f281d9dc';
const LLM = `/api/apps/${APP}/integration-endpoints/Core/InvokeLLM`;
const call = (over: Record<string, unknown> = {}) => ({ v: 1, url: LLM, method: 'POST', status: 200, start: Date.now(), ms: 12, repeat: false, ...over });
// The hook sends batches: a JSON array of calls per event.
const hook = (over: Record<string, unknown> = {}) => JSON.stringify([call(over)]);

function setup(pageUrl = 'https://myapp.base44.app/') {
  const sent: CallReport[] = [];
  const warnings: unknown[] = [];
  let n = 0;
  startObserver({
    win: window, pageUrl: () => pageUrl, localDev: false, newId: () => `id_${String(++n).padStart(6, '0')}`, now: Date.now,
    sendCalls: (calls) => sent.push(...calls), sendRunaway: vi.fn(), showLoopWarning: (r) => warnings.push(r),
  });
  const emit = (detail: unknown) => document.dispatchEvent(new CustomEvent(HOOK_EVENT, { detail }));
  return { sent, warnings, emit };
}
const settle = () => new Promise((r) => setTimeout(r, 300));

beforeEach(() => vi.useRealTimers());
afterEach(() => {
  document.body.innerHTML = '';
});

describe('observer', () => {
  it('turns a valid hook report into a classified call report', async () => {
    const { sent, emit } = setup();
    emit(hook());
    await settle();
    expect(sent).toEqual([expect.objectContaining({ action: 'Core.InvokeLLM', appId: APP, context: 'published', outcome: 'ok', credits: null, exact: false, via: 'direct', repeat: false, key: `POST ${LLM}` })]);
  });

  it.each([
    ['an object instead of a string', [{ v: 1 }]],
    ['a single call, not a batch', JSON.stringify(call())],
    ['not JSON', '{nope'],
    ['an oversized detail', 'x'.repeat(200_000)],
    ['an unknown field (a smuggled body)', hook({ body: 'secret' })],
    ['a bad status', hook({ status: 1000 })],
    ['a non-billed URL', hook({ url: `/api/apps/${APP}/entities/Todo` })],
    ['a GET', hook({ method: 'GET' })],
    ['a bad version', hook({ v: 2 })],
  ])('ignores %s', async (_, detail) => {
    const { sent, emit } = setup();
    emit(detail);
    await settle();
    expect(sent).toEqual([]);
  });

  it('takes a batch: valid calls count, invalid ones in it are dropped alone, at most 100 per event', async () => {
    const { sent, emit } = setup();
    emit(JSON.stringify([call(), call({ body: 'secret' }), 'junk', call({ url: `/api/apps/${APP}/integration-endpoints/Core/SendEmail` })]));
    emit(JSON.stringify(Array.from({ length: 150 }, () => call())));
    await settle();
    expect(sent.map((c) => c.action).slice(0, 2)).toEqual(['Core.InvokeLLM', 'Core.SendEmail']);
    expect(sent).toHaveLength(102);
  });

  it('a 402 becomes out_of_credits; an implausible page clock is replaced by ours', async () => {
    const { sent, emit } = setup();
    emit(hook({ status: 402, reply: { reason: 'integration_credits_limit_reached' }, start: 1 }));
    await settle();
    expect(sent[0]).toMatchObject({ outcome: 'out_of_credits', credits: 0, exact: true });
    expect(Math.abs(Date.parse(sent[0].at) - Date.now())).toBeLessThan(5000);
  });

  it('calls right after a click share its flow', async () => {
    const { sent, emit } = setup();
    // happy-dom events are untrusted; mark this one trusted as a real click would be
    const click = new Event('pointerdown');
    Object.defineProperty(click, 'isTrusted', { value: true });
    window.dispatchEvent(click);
    emit(hook());
    emit(hook({ url: `/api/apps/${APP}/integration-endpoints/Core/SendEmail` }));
    await settle();
    expect(sent).toHaveLength(2);
    expect(sent[0].flowId).toBe(sent[1].flowId);
  });

  it('warns in the page at once when a loop starts', async () => {
    const { warnings, emit } = setup();
    for (let i = 0; i < 6; i++) emit(hook({ repeat: i > 0 }));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatchObject({ topAction: 'Core.InvokeLLM', repeats: 5 });
  });

  it('in the editor, reads the preview’s api-request messages as a witness — only from a preview origin, never the body', async () => {
    const { sent } = setup(`https://app.base44.com/apps/${APP}/editor/preview`);
    const origin = `https://preview-sandbox--${APP}.base44.app`;
    const post = (data: unknown, from = origin) => window.dispatchEvent(new MessageEvent('message', { data, origin: from }));
    post({ type: 'api-request-start', requestId: 'r1', data: { url: `/api${LLM.slice(4)}`, method: 'post', body: { prompt: 'CANARY-secret' } } });
    post({ type: 'api-request-end', requestId: 'r1', data: { statusCode: 200, response: { text: 'CANARY-answer' } } });
    post({ type: 'api-request-start', requestId: 'r2', data: { url: LLM, method: 'post' } }, 'https://evil.example');
    post({ type: 'api-request-end', requestId: 'r2', data: { statusCode: 200 } }, 'https://evil.example');
    await settle();
    expect(sent).toEqual([expect.objectContaining({ via: 'witness', action: 'Core.InvokeLLM', appId: APP, context: 'preview', key: `POST ${LLM}` })]);
    expect(JSON.stringify(sent)).not.toContain('CANARY');
  });

  it('the page side batches: several calls, one event, after a short delay', async () => {
    const events: string[] = [];
    const listener = (e: Event) => events.push((e as CustomEvent).detail);
    document.addEventListener(HOOK_EVENT, listener);
    const emit = documentEmitter(document, globalThis);
    for (let i = 0; i < 5; i++) emit(call() as never);
    expect(events).toEqual([]);
    await settle();
    document.removeEventListener(HOOK_EVENT, listener);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0])).toHaveLength(5);
  });
});

describe('ids and keys', () => {
  it('ids: one random prefix per page, a counter after it, always valid and distinct', async () => {
    const { idMaker } = await import('../../../extension/content/ids');
    const a = idMaker('3f2b9c1e-0000-4000-8000-00000000abcd');
    const b = idMaker('9a9a9a9a-1111-4111-8111-111111111111');
    const ids = [a(), a(), b()];
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    ['/api/apps/a/integration-endpoints/Core/InvokeLLM', 'POST /api/apps/a/integration-endpoints/Core/InvokeLLM'],
    ['https://myapp.base44.app/api/apps/a/x', 'POST /api/apps/a/x'],
    ['/api/apps/a/../b/x', 'POST /api/apps/b/x'],
    ['/api/apps/a/x?q=secret', 'POST /api/apps/a/x'],
  ])('keyOf(%s) = %s (a path, never a query)', async (url, key) => {
    const { keyOf } = await import('../../../extension/content/key');
    expect(keyOf('post', url, 'https://myapp.base44.app/')).toBe(key);
  });
});
