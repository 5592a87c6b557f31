// The real I/O behind the popup and options models: messages to the background, the active tab, host
// permissions, the page's query string. Tests give the models fake ports instead.
import { browser } from 'wxt/browser';
import type { Status } from '../background/status';
import type { PriceProposalView, OptionsPort, PairResult } from '../models/options';
import type { PopupPort } from '../models/popup';
import { sendToBackground } from './messaging';

export function popupPort(): PopupPort {
  // The popup belongs to one window's active tab: look it up once.
  let tabId: Promise<number | undefined> | undefined;
  const activeTab = () =>
    (tabId ??= browser.tabs.query({ active: true, currentWindow: true }).then((tabs) => tabs[0]?.id, () => undefined));
  return {
    async status() {
      const id = await activeTab();
      return sendToBackground<Status>('status', id === undefined ? {} : { tabId: id });
    },
    refresh: () => sendToBackground<void>('refresh', {}),
    alertAction: (alertId: string, snoozeMinutes?: number) => sendToBackground<void>('alertAction', snoozeMinutes ? { alertId, snoozeMinutes } : { alertId }),
    async openOptions() {
      await browser.runtime.openOptionsPage();
    },
  };
}

export function optionsPort(): OptionsPort {
  const q = new URLSearchParams(location.search);
  return {
    status: () => sendToBackground<Status>('status', {}),
    pair: (req) => sendToBackground<PairResult>('pair', req),
    unpair: () => sendToBackground<void>('unpair', {}),
    refresh: () => sendToBackground<void>('refresh', {}),
    setPrefs: (prefs) => sendToBackground<void>('setPrefs', prefs),
    addDomain: (domain) => sendToBackground<void>('addDomain', { domain }),
    removeDomain: (domain) => sendToBackground<void>('removeDomain', { domain }),
    calibrate: (pool, remaining) => sendToBackground<void>('calibrate', { pool, remaining }),
    proposals: () => sendToBackground<PriceProposalView[]>('proposals', {}),
    proposalAction: (action, decision, proposed) => sendToBackground<void>('proposalAction', { action, decision, proposed }),
    // Synchronous up to the browser call: the permission prompt needs the user's click to still be "active".
    requestOrigins: (origins) => browser.permissions.request({ origins }),
    queryParams: { server: q.get('server') ?? undefined, code: q.get('code') ?? undefined },
    forgetQuery: () => history.replaceState(null, '', location.pathname),
  };
}
