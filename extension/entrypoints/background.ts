// Background service worker: wiring only (background/index.ts holds the pieces). Listeners are registered
// synchronously at start so events that woke the worker are not missed; `wake` then resumes from storage.
import { browser } from 'wxt/browser';
import { createBackground } from '../background';

export default defineBackground(() => {
  const bg = createBackground();
  browser.runtime.onMessage.addListener((msg, sender) => bg.route(msg, sender));
  browser.alarms.onAlarm.addListener((alarm) => void bg.onAlarm(alarm.name));
  browser.tabs.onActivated.addListener(() => void bg.updateBadge());
  browser.tabs.onUpdated.addListener((_id, change) => void (change.url && bg.updateBadge()));
  browser.runtime.onInstalled.addListener(() => void bg.wake());
  void bg.wake();
});
