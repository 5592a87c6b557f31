// Background service worker: wiring only. Later issues add the outbox, the stream and the badge.
export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    void browser.action.setBadgeText({ text: '' });
  });
});
