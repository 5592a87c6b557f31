// The unpacked extension's id in Chromium, fixed by the `key` in wxt.config.ts (test/e2e/builds.test.ts
// checks they agree). The server prints a pairing link with it.
export const CHROME_EXTENSION_ID = 'hnbkbimaeccfeeljbljgakpfmgjfdejg';

export const pairingLink = (server: string, code: string) =>
  `chrome-extension://${CHROME_EXTENSION_ID}/options.html?server=${encodeURIComponent(server)}&code=${encodeURIComponent(code)}`;
