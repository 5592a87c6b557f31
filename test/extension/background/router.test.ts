// The background's message door: who may send what, and that bad data is refused with a reason.
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../extension/background/router';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT}/`;
const report = {
  id: 'evt_00000001', at: '2026-11-24T10:00:00.000Z', action: 'Core.InvokeLLM', appId: 'app_1', context: 'preview', outcome: 'ok',
  credits: null, exact: false, flowId: 'flow_0001', repeat: false, via: 'direct', key: 'POST /api/apps/app_1/integration-endpoints/Core/InvokeLLM',
};

function router() {
  const handlers = Object.fromEntries(['calls', 'runaway', 'reading', 'status', 'pair', 'unpair', 'refresh', 'setPrefs', 'addDomain', 'removeDomain', 'alertAction', 'calibrate', 'proposals', 'proposalAction'].map((n) => [n, vi.fn(async () => n)])) as unknown as Handlers;
  return { route: createRouter({ extensionId: EXT, extensionOrigin: ORIGIN, handlers }), handlers };
}
const fromPage = { id: EXT, url: 'https://myapp.base44.app/', tab: { id: 3 }, frameId: 0 };
const fromPopup = { id: EXT, url: `${ORIGIN}popup.html` };

describe('message router', () => {
  it('content scripts may report calls', async () => {
    const { route, handlers } = router();
    expect(await route({ name: 'calls', data: { calls: [report] } }, fromPage)).toEqual({ ok: true, result: 'calls' });
    expect(handlers.calls).toHaveBeenCalledOnce();
  });

  it.each(['pair', 'unpair', 'setPrefs', 'addDomain', 'alertAction', 'status', 'calibrate', 'proposals', 'proposalAction'])('a page (via its content script) may not send %s', async (name) => {
    const { route, handlers } = router();
    const r = await route({ name, data: {} }, fromPage);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/not allowed/) });
    expect(handlers[name as keyof Handlers]).not.toHaveBeenCalled();
  });

  it('refuses other extensions and nameless or unknown messages', async () => {
    const { route } = router();
    expect(await route({ name: 'status', data: {} }, { ...fromPopup, id: 'other' })).toMatchObject({ ok: false });
    expect(await route(null, fromPopup)).toMatchObject({ ok: false, error: 'no message name' });
    expect(await route({ name: '__proto__', data: {} }, fromPopup)).toMatchObject({ ok: false });
    expect(await route({ name: 'toString', data: {} }, fromPopup)).toMatchObject({ ok: false });
  });

  it.each([
    ['a body smuggled in', { calls: [{ ...report, body: 'secret prompt' }] }],
    ['a bad id', { calls: [{ ...report, id: 'x' }] }],
    ['negative credits', { calls: [{ ...report, credits: -1 }] }],
    ['an unknown context', { calls: [{ ...report, context: 'evil' }] }],
    ['no calls', { calls: [] }],
    ['too many calls', { calls: Array.from({ length: 201 }, () => report) }],
  ])('refuses calls with %s', async (_, data) => {
    const { route, handlers } = router();
    const r = await route({ name: 'calls', data }, fromPage);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/invalid "calls"/) });
    expect(handlers.calls).not.toHaveBeenCalled();
  });

  it('the popup may ask for status and pair; pairing data is validated', async () => {
    const { route } = router();
    expect(await route({ name: 'status', data: {} }, fromPopup)).toEqual({ ok: true, result: 'status' });
    expect(await route({ name: 'pair', data: { server: 'http://127.0.0.1:4317', code: 'ABCD-EFGH' } }, fromPopup)).toEqual({ ok: true, result: 'pair' });
    expect(await route({ name: 'pair', data: { server: 'javascript:alert(1)', code: 'ABCD-EFGH' } }, fromPopup)).toMatchObject({ ok: false, error: expect.stringMatching(/server/) });
  });

  it('a failing handler becomes an error reply', async () => {
    const { route, handlers } = router();
    vi.mocked(handlers.refresh).mockRejectedValueOnce(new Error('server unreachable'));
    expect(await route({ name: 'refresh', data: {} }, fromPopup)).toEqual({ ok: false, error: 'server unreachable' });
  });
});
