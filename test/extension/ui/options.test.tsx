// The options page: validation, the one-time auto-pair from ?server=&code=, host permissions requested
// inside the click before the background is told, unpair warning, and the rendered page driven by the DOM.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { Options } from '../../../extension/components/Options';
import { deriveServerStatus, deriveUnpairWarning, OptionsModel, validateDomain, validatePair, type OptionsPort } from '../../../extension/models/options';
import { LOCAL_DEV_MATCHES } from '../../../extension/utils/hosts';
import type { Status } from '../../../extension/background/status';
import { flush, makeStatus, NOW } from './fixtures';

const unpaired = () => makeStatus({ pairing: null, connection: { state: 'unpaired', since: 0 }, balance: null });
const identity = { workspace: { id: 'ws1', name: 'Acme' }, member: { id: 'm1', name: 'Ada', role: 'owner' } };

function fakePort(opts: { status?: Status; query?: OptionsPort['queryParams']; grant?: boolean; refuseCalibration?: boolean } = {}) {
  const log: string[] = [];
  let current = opts.status ?? unpaired();
  const port = {
    status: vi.fn(async () => current),
    pair: vi.fn(async () => {
      log.push('pair');
      current = makeStatus();
      return identity;
    }),
    unpair: vi.fn(async () => void (current = unpaired())),
    refresh: vi.fn(async () => {}),
    setPrefs: vi.fn(async (p) => void log.push(`setPrefs:${JSON.stringify(p)}`)),
    addDomain: vi.fn(async (d: string) => void (log.push(`addDomain:${d}`), (current = { ...current, domains: [...current.domains, d] }))),
    removeDomain: vi.fn(async (d: string) => void log.push(`removeDomain:${d}`)),
    calibrate: vi.fn(async (pool: 'message' | 'integration', remaining: number) => {
      if (opts.refuseCalibration) throw new Error('"manual" readings come from leads and owners');
      log.push(`calibrate:${pool}:${remaining}`);
    }),
    proposals: vi.fn(async () => [{ action: 'Core.InvokeLLM', current: 1, proposed: 2, calls: 8, intervals: 3, confidence: 'high', reason: 'readings show 2 per call' }]),
    proposalAction: vi.fn(async (action: string, decision: string) => void log.push(`${decision}:${action}`)),
    requestOrigins: vi.fn((origins: string[]) => (log.push(`request:${origins.join(',')}`), Promise.resolve(opts.grant ?? true))),
    queryParams: opts.query ?? {},
    forgetQuery: vi.fn(() => void log.push('forgetQuery')),
  } satisfies OptionsPort;
  return { port, log };
}

describe('validation', () => {
  it.each([
    [{ server: 'http://127.0.0.1:4317', code: 'ABCD-1234' }, {}],
    [{ server: 'ftp://x', code: 'ABCD' }, { server: 'must be an http(s) URL such as http://127.0.0.1:4317' }],
    [{ server: 'http://127.0.0.1:4317', code: ' ab ' }, { code: 'enter the pairing code the server printed' }],
    [{ server: '', code: 'x'.repeat(65) }, { server: 'must be an http(s) URL such as http://127.0.0.1:4317', code: 'the code is at most 64 characters' }],
  ])('pair form %j', (input, errors) => {
    const v = validatePair(input);
    expect(v.ok ? {} : v.errors).toEqual(errors);
  });

  it.each([
    ['App.Example.com ', { ok: true, domain: 'app.example.com' }],
    ['not a host', { ok: false, error: 'must be a host name such as app.example.com' }],
    ['shop.base44.app', { ok: false, error: 'Base44 hosts are always observed' }],
    ['known.example.com', { ok: false, error: 'known.example.com is already in the list' }],
  ])('domain %j', (input, result) => {
    expect(validateDomain(input, ['known.example.com'])).toEqual(result);
  });
});

describe('OptionsModel', () => {
  it('pairs once by itself when the link carries server and code, then forgets the code', async () => {
    const { port, log } = fakePort({ query: { server: 'http://127.0.0.1:9999', code: 'PAIR-CODE-1' } });
    const m = new OptionsModel(port);
    await vi.waitFor(() => expect(m.pairStatus.value.text).toBe('Paired with Acme as Ada (owner)'));
    expect(port.pair).toHaveBeenCalledExactlyOnceWith({ server: 'http://127.0.0.1:9999', code: 'PAIR-CODE-1' });
    expect(log.slice(0, 2)).toEqual(['forgetQuery', 'pair']);
    expect(m.server.value).toBe('http://127.0.0.1:9999');
    await vi.waitFor(() => expect(m.status.value?.pairing).not.toBeNull());
    m[Symbol.dispose]();
  });

  it('does not pair by itself with only a server in the link; shows field errors instead of sending a bad form', async () => {
    const { port } = fakePort({ query: { server: 'http://10.0.0.5:4317' } });
    const m = new OptionsModel(port);
    await flush();
    expect(port.pair).not.toHaveBeenCalled();
    expect(m.server.value).toBe('http://10.0.0.5:4317');
    m.setCode('ab');
    await m.submitPair();
    expect(port.pair).not.toHaveBeenCalled();
    expect(m.fieldErrors.value).toEqual({ code: 'enter the pairing code the server printed' });
    m[Symbol.dispose]();
  });

  it('shows a failed pairing inline', async () => {
    const { port } = fakePort();
    port.pair.mockRejectedValueOnce(new Error('pairing code unknown, used or expired'));
    const m = new OptionsModel(port);
    m.setCode('WRONG-CODE');
    await m.submitPair();
    expect(m.pairStatus.value).toEqual({ tone: 'error', text: 'Pairing failed: pairing code unknown, used or expired' });
    m[Symbol.dispose]();
  });

  it('asks for the domain inside the click (synchronously), then tells the background', async () => {
    const { port, log } = fakePort({ status: makeStatus() });
    const m = new OptionsModel(port);
    await flush();
    m.setDomainInput('Shop.Example.com');
    const done = m.addDomain();
    expect(log).toEqual(['request:https://shop.example.com/*']); // before any await
    await done;
    expect(log).toEqual(['request:https://shop.example.com/*', 'addDomain:shop.example.com']);
    expect(m.domainInput.value).toBe('');
    expect(m.status.value?.domains).toEqual(['shop.example.com']);
    m[Symbol.dispose]();
  });

  it('does not add a domain the user refused, and never asks for an invalid one', async () => {
    const { port } = fakePort({ status: makeStatus(), grant: false });
    const m = new OptionsModel(port);
    await flush();
    m.setDomainInput('shop.example.com');
    await m.addDomain();
    expect(port.addDomain).not.toHaveBeenCalled();
    expect(m.domainError.value).toBe('Access to shop.example.com was not granted.');
    m.setDomainInput('http://bad');
    await m.addDomain();
    expect(port.requestOrigins).toHaveBeenCalledTimes(1);
    expect(m.domainError.value).toBe('must be a host name such as app.example.com');
    m[Symbol.dispose]();
  });

  it('turning on base44 dev asks for the loopback hosts first; turning it off does not', async () => {
    const { port, log } = fakePort({ status: makeStatus() });
    const m = new OptionsModel(port);
    await flush();
    const done = m.setPref('localDev', true);
    expect(log).toEqual([`request:${LOCAL_DEV_MATCHES.join(',')}`]);
    await done;
    expect(log[1]).toBe('setPrefs:{"notifications":true,"minSeverity":"warning","loopWarnings":true,"localDev":true}');
    expect(m.status.value?.prefs.localDev).toBe(true);
    await m.setPref('localDev', false);
    expect(port.requestOrigins).toHaveBeenCalledTimes(1);
    await m.setPref('minSeverity', 'critical');
    expect(port.setPrefs).toHaveBeenLastCalledWith({ notifications: true, minSeverity: 'critical', loopWarnings: true, localDev: false });
    m[Symbol.dispose]();
  });

  it('keeps base44 dev off when the permission is refused', async () => {
    const { port } = fakePort({ status: makeStatus(), grant: false });
    const m = new OptionsModel(port);
    await flush();
    await m.setPref('localDev', true);
    expect(port.setPrefs).not.toHaveBeenCalled();
    expect(m.prefsError.value).toContain('base44 dev stays off');
    m[Symbol.dispose]();
  });
});

describe('server status and unpair warning', () => {
  it('describes the connection, the outbox and refused batches', () => {
    const v = deriveServerStatus(makeStatus({
      connection: { state: 'unreachable', since: NOW - 3 * 60_000, error: 'fetch failed' },
      outbox: { count: 12, delivery: { attempts: 2, nextAttemptAt: NOW + 60_000, lastError: 'HTTP 503', lastOkAt: NOW - 600_000, acked: [], rejected: [{ at: NOW - 60_000, count: 3, detail: 'events.0.at invalid' }] } },
    }));
    expect(v).toMatchObject({ state: 'unreachable', since: '3 min ago', error: 'fetch failed', outbox: '12 calls waiting to be sent' });
    expect(v.delivery).toBe('2 failed attempts: HTTP 503 · next attempt in 1 min · last delivered 10 min ago');
    expect(v.rejected).toEqual([{ at: '1 min ago', count: 3, detail: 'events.0.at invalid' }]);
  });

  it('says how many unsent calls unpairing discards', () => {
    expect(deriveUnpairWarning(makeStatus({ outbox: { count: 7, delivery: { attempts: 0, acked: [], rejected: [] } } }))).toBe(
      'Unpair this browser from Acme? 7 calls not yet sent to the server will be discarded.',
    );
  });
});

describe('options page (rendered)', () => {
  const q = (root: HTMLElement, id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement;
  const type = (el: HTMLElement, value: string) => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const submit = (el: HTMLElement) => el.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

  it('unpaired: not paired, form with the default server; pairing through the form shows the identity', async () => {
    const { port } = fakePort();
    const m = new OptionsModel(port);
    const root = document.createElement('div');
    render(<Options model={m} />, root);
    await vi.waitFor(() => expect(q(root, 'not-paired')?.textContent).toContain('Not paired'));
    expect((q(root, 'server-input') as HTMLInputElement).value).toBe('http://127.0.0.1:4317');
    submit(q(root, 'pair-form'));
    await vi.waitFor(() => expect(q(root, 'code-error')?.textContent).toBe('enter the pairing code the server printed'));
    type(q(root, 'code-input'), 'GOOD-CODE');
    submit(q(root, 'pair-form'));
    await vi.waitFor(() => expect(q(root, 'pair-status').textContent).toBe('Paired with Acme as Ada (owner)'));
    await vi.waitFor(() => expect(q(root, 'not-paired')).toBeNull());
    expect(q(root, 'server-status').dataset.state).toBe('live');
    render(null, root);
    m[Symbol.dispose]();
  });

  it('paired: unpair asks first, with the count of calls it discards', async () => {
    const { port } = fakePort({ status: makeStatus({ outbox: { count: 2, delivery: { attempts: 0, acked: [], rejected: [] } } }) });
    const m = new OptionsModel(port);
    const root = document.createElement('div');
    render(<Options model={m} />, root);
    await vi.waitFor(() => expect(q(root, 'unpair-button')).not.toBeNull());
    q(root, 'unpair-button').click();
    await vi.waitFor(() => expect(q(root, 'unpair-confirm')?.textContent).toContain('2 calls not yet sent to the server will be discarded'));
    expect(port.unpair).not.toHaveBeenCalled();
    q(root, 'unpair-confirm-button').click();
    await vi.waitFor(() => expect(q(root, 'not-paired')?.textContent).toContain('Not paired'));
    expect(port.unpair).toHaveBeenCalledOnce();
    render(null, root);
    m[Symbol.dispose]();
  });

  it('adding a domain from the form requests the permission in the submit handler itself', async () => {
    const { port, log } = fakePort({ status: makeStatus({ domains: ['a.example.com'] }) });
    const m = new OptionsModel(port);
    const root = document.createElement('div');
    render(<Options model={m} />, root);
    await vi.waitFor(() => expect(q(root, 'domains').textContent).toContain('a.example.com'));
    type(q(root, 'domain-input'), 'b.example.com');
    submit(q(root, 'domain-input').closest('form')!);
    expect(log).toEqual(['request:https://b.example.com/*']);
    await vi.waitFor(() => expect(q(root, 'domains').textContent).toContain('b.example.com'));
    q(root, 'remove-a.example.com').click();
    await vi.waitFor(() => expect(port.removeDomain).toHaveBeenCalledWith('a.example.com'));
    render(null, root);
    m[Symbol.dispose]();
  });
});

describe('calibration', () => {
  it('sends a valid figure, refuses nonsense, and shows the server’s refusal for non-leads', async () => {
    const { port, log } = fakePort();
    const m = new OptionsModel(port);
    await flush();
    m.setCalibration({ pool: 'message', remaining: 'lots' });
    await m.calibrate();
    expect(m.calibration.value).toMatchObject({ ok: false, message: expect.stringMatching(/Enter the remaining/) });
    m.setCalibration({ remaining: '1,234.5' });
    await m.calibrate();
    expect(log).toContain('calibrate:message:1234.5');
    expect(m.calibration.value).toMatchObject({ ok: true, remaining: '' });
    const refused = fakePort({ refuseCalibration: true });
    const m2 = new OptionsModel(refused.port);
    m2.setCalibration({ remaining: '10' });
    await m2.calibrate();
    expect(m2.calibration.value).toMatchObject({ ok: false, message: expect.stringMatching(/leads and owners/) });
    m[Symbol.dispose]();
    m2[Symbol.dispose]();
  });
});

describe('learned prices (leads)', () => {
  it('loads proposals for a lead, and accepting one removes it', async () => {
    const { port, log } = fakePort({ status: makeStatus({ pairing: { server: 'http://127.0.0.1:4317', workspace: { id: 'ws_1', name: 'Acme' }, member: { id: 'm1', name: 'Lee', role: 'lead' } } }) });
    const m = new OptionsModel(port);
    await flush();
    await flush();
    expect(m.proposals.value.map((p) => p.proposed)).toEqual([2]);
    await m.decide(m.proposals.value[0], 'accept');
    expect(log).toContain('accept:Core.InvokeLLM');
    expect(m.proposals.value).toEqual([]);
    m[Symbol.dispose]();
  });

  it('does not ask for proposals as a collaborator', async () => {
    const { port } = fakePort({ status: makeStatus({ pairing: { server: 'http://127.0.0.1:4317', workspace: { id: 'ws_1', name: 'Acme' }, member: { id: 'm2', name: 'Dana', role: 'collaborator' } } }) });
    const m = new OptionsModel(port);
    await flush();
    await flush();
    expect(port.proposals).not.toHaveBeenCalled();
    m[Symbol.dispose]();
  });
});
