// The popup rendered in each main state, and its model driven by a fake port (load on open, poll, refresh).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { useModel } from '@preact/signals';
import { Popup } from '../../../extension/components/Popup';
import { derivePopup, POLL_MS, PopupModel, type PopupPort } from '../../../extension/models/popup';
import type { Status } from '../../../extension/background/status';
import { flush, iso, makeStatus, NOW, team } from './fixtures';

function show(s: Status, handlers: { onRefresh?: () => void; onOpenOptions?: () => void; onAlertAction?: (id: string, m?: number) => void } = {}) {
  const root = document.createElement('div');
  render(<Popup view={derivePopup(s)} error={null} refreshing={false} onRefresh={handlers.onRefresh ?? (() => {})} onOpenOptions={handlers.onOpenOptions ?? (() => {})} onAlertAction={handlers.onAlertAction ?? (() => {})} />, root);
  const q = (id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  return { root, q };
}

describe('popup states', () => {
  it('not paired: says so and offers the options page', () => {
    const open = vi.fn();
    const { q } = show(makeStatus({ pairing: null, connection: { state: 'unpaired', since: 0 } }), { onOpenOptions: open });
    expect(q('banner')?.dataset.state).toBe('not-paired');
    expect(q('not-paired')?.textContent).toContain('Not paired');
    expect(q('pool-message')).toBeNull();
    (q('banner')!.querySelector('button') as HTMLButtonElement).click();
    expect(open).toHaveBeenCalledOnce();
  });

  it('live: both pools with remaining / limit, estimate marking, the current app and who is consuming', () => {
    const s = makeStatus({
      tab: { appId: 'app1', context: 'preview', kind: 'integration' },
      pending: { message: 0, integration: 4 },
      team: team(),
      flows: [{ flowId: 'flow0001', appId: 'app1', at: iso(NOW - 2000), calls: [{ action: 'Core.InvokeLLM', credits: 1, exact: false, outcome: 'ok', repeat: false }, { action: 'Core.SendEmail', credits: 2, exact: true, outcome: 'ok', repeat: false }] }],
      recent: [{ id: 'evt00001', at: iso(NOW - 2000), kind: 'integration', credits: 2, exact: true, action: 'Core.SendEmail', appId: 'app1', context: 'preview', outcome: 'ok' }],
    });
    s.balance!.pools[0].exact = false;
    const { q } = show(s);
    expect(q('banner')?.dataset.state).toBe('live');
    expect(q('pool-integration')?.textContent).toContain('8,996 / 10,000 left');
    expect(q('pool-integration')?.textContent).toContain('exact');
    expect(q('pool-integration')?.textContent).toContain('this tab');
    expect(q('pool-integration')?.dataset.remaining).toBe('8996');
    expect(q('pool-message')?.textContent).toContain('200 / 250 left');
    expect(q('pool-message')?.textContent).toContain('estimate');
    expect(q('pool-message')?.textContent).toContain('resets in 3 d 4 h');
    expect(q('last-flow')?.textContent).toContain('Last click cost ~3 credits: ~InvokeLLM + SendEmail');
    expect(q('app-actions')?.textContent).toContain('InvokeLLM');
    expect(q('who-members')?.textContent).toContain('Ada (you)');
    expect(q('who-apps')?.textContent).toContain('Shop');
    expect(q('recent')?.textContent).toContain('SendEmail');
  });

  it('unreachable: last known values with their age, cached team view, calls waiting', () => {
    const { q, root } = show(makeStatus({
      connection: { state: 'unreachable', since: NOW - 60_000 },
      balance: { pools: makeStatus().balance!.pools, at: iso(NOW), receivedAt: NOW - 12 * 60_000 },
      team: team(), teamLive: false,
      outbox: { count: 200, delivery: { attempts: 3, nextAttemptAt: NOW + 25 * 60_000, acked: [], rejected: [] } },
    }));
    expect(q('banner')?.dataset.state).toBe('unreachable');
    expect(q('banner')?.textContent).toContain('last known values, 12 min ago');
    expect(root.textContent).toContain('(cached, 5 min ago)');
    expect(q('outbox')?.textContent).toBe('200 calls waiting to be sent (retrying in 25 min)');
  });

  it('revoked: asks to pair again', () => {
    const open = vi.fn();
    const { q } = show(makeStatus({ connection: { state: 'revoked', since: NOW, error: 'the server no longer accepts this device: pair again' } }), { onOpenOptions: open });
    expect(q('banner')?.dataset.state).toBe('revoked');
    expect(q('banner')?.textContent).toContain('Pairing revoked');
    q('banner')!.querySelector('button')!.click();
    expect(open).toHaveBeenCalledOnce();
  });

  it('out of integration credits: a prominent alert naming the app', () => {
    const { q } = show(makeStatus({ outOfCredits: { at: iso(NOW - 60_000), appId: 'app1' } }));
    expect(q('banner')?.dataset.state).toBe('out-of-credits');
    expect(q('banner')?.getAttribute('role')).toBe('alert');
    expect(q('banner')?.textContent).toContain('Out of integration credits — apps calling Base44 integrations are failing');
    expect(q('banner')?.textContent).toContain('App: app1');
  });
});

function fakePort(statuses: Status[]) {
  let i = 0;
  return {
    status: vi.fn(async () => statuses[Math.min(i++, statuses.length - 1)]),
    refresh: vi.fn(async () => {}),
    openOptions: vi.fn(async () => {}),
    alertAction: vi.fn(async () => {}),
  } satisfies PopupPort;
}

describe('popup alerts', () => {
  const alert = (over: Record<string, unknown> = {}) => ({ id: 'al_1', title: 'Integration credits 80% used', severity: 'warning', firedAt: iso(NOW - 120_000), resolved: false, ...over });
  it('lists alerts still firing and not handled here; the buttons acknowledge or snooze', () => {
    const onAlertAction = vi.fn();
    const s = makeStatus({ alerts: [alert(), alert({ id: 'al_2', resolved: true }), alert({ id: 'al_3', handled: true }), alert({ id: 'al_4', severity: 'critical', title: 'Runs out before the reset' })] });
    const { q } = show(s, { onAlertAction });
    const list = q('alerts')!;
    expect(list.textContent).toContain('Integration credits 80% used');
    expect(list.textContent).toContain('2 min ago');
    expect(list.querySelectorAll('li')).toHaveLength(2);
    const buttons = list.querySelectorAll('button');
    (buttons[0] as HTMLButtonElement).click();
    (buttons[1] as HTMLButtonElement).click();
    expect(onAlertAction.mock.calls).toEqual([['al_1'], ['al_1', 60]]);
  });

  it('shows nothing when no alert is open', () => {
    expect(show(makeStatus({ alerts: [alert({ resolved: true })] })).q('alerts')).toBeNull();
  });

  it('the model acts through its port, then reloads', async () => {
    const port = fakePort([makeStatus()]);
    const m = new PopupModel(port);
    await m.alertAction('al_1', 60);
    expect(port.alertAction).toHaveBeenCalledWith('al_1', 60);
    expect(port.status.mock.calls.length).toBeGreaterThanOrEqual(2);
    m[Symbol.dispose]();
  });
});

describe('PopupModel', () => {
  afterEach(() => vi.useRealTimers());

  it('loads on open, polls every 5 s while open and stops when disposed', async () => {
    vi.useFakeTimers();
    const port = fakePort([makeStatus({ connection: { state: 'connecting', since: NOW } }), makeStatus()]);
    const m = new PopupModel(port);
    await vi.advanceTimersByTimeAsync(0);
    expect(port.status).toHaveBeenCalledTimes(1);
    expect(m.view.value?.banner.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(port.status).toHaveBeenCalledTimes(2);
    expect(m.view.value?.banner.state).toBe('live');
    m[Symbol.dispose]();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(port.status).toHaveBeenCalledTimes(2);
  });

  it('refresh asks the background to refresh, then reloads the status', async () => {
    const port = fakePort([makeStatus()]);
    const m = new PopupModel(port);
    await m.refresh();
    expect(port.refresh).toHaveBeenCalledOnce();
    expect(port.status.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(m.refreshing.value).toBe(false);
    m[Symbol.dispose]();
  });

  it('shows an error instead of throwing when the background does not answer', async () => {
    const port = { ...fakePort([]), status: vi.fn(async () => Promise.reject(new Error('the extension did not answer: reload the page'))) };
    const root = document.createElement('div');
    function App() {
      const m = useModel(() => new PopupModel(port));
      return <Popup view={m.view.value} error={m.error.value} refreshing={false} onRefresh={m.refresh} onOpenOptions={m.openOptions} onAlertAction={m.alertAction} />;
    }
    render(<App />, root);
    await flush();
    await flush();
    expect(root.querySelector('[data-testid="error"]')?.textContent).toBe('the extension did not answer: reload the page');
    render(null, root);
  });

  it('renders through useModel and opens the options page via the port', async () => {
    const port = fakePort([makeStatus({ pairing: null, connection: { state: 'unpaired', since: 0 } })]);
    const root = document.createElement('div');
    function App() {
      const m = useModel(() => new PopupModel(port));
      return <Popup view={m.view.value} error={m.error.value} refreshing={false} onRefresh={m.refresh} onOpenOptions={m.openOptions} onAlertAction={m.alertAction} />;
    }
    render(<App />, root);
    await flush();
    await flush();
    expect(root.querySelector('[data-testid="not-paired"]')?.textContent).toContain('Not paired');
    (root.querySelector('[data-testid="banner"] button') as HTMLButtonElement).click();
    expect(port.openOptions).toHaveBeenCalledOnce();
    render(null, root);
  });
});
