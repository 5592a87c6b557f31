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
  // Chromium: Acknowledge / Snooze 1 hour buttons. Firefox has no buttons: a click on the notification acknowledges.
  browser.notifications.onButtonClicked?.addListener((id, button) => void bg.onNotificationButton(id, button));
  if (!browser.notifications.onButtonClicked) browser.notifications.onClicked.addListener((id) => void bg.onNotificationButton(id, 0));
  browser.runtime.onInstalled.addListener(() => void bg.wake());
  void bg.wake();
});
